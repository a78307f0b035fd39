/* SPDX-License-Identifier: MIT */
/*
 * The pause a writer takes in a wait loop (never the switch path): a spin
 * hint on target (YIELD), a scheduler yield on the host, where the "CPUs"
 * are threads that may share a core with the waiter.
 */
#ifndef PRSCHED_ARCH_RELAX_H
#define PRSCHED_ARCH_RELAX_H

#if !defined(__arm__) && !defined(__aarch64__)
#include <sched.h>
#endif

static inline void prs_arch_relax(void)
{
#if defined(__arm__) || defined(__aarch64__)
	__asm__ volatile("yield");
#else
	(void)sched_yield();
#endif
}

#endif
