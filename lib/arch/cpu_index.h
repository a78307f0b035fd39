/* SPDX-License-Identifier: MIT */
/*
 * The calling CPU's affinity-0 number (MPIDR.Aff0): the built-in writer
 * lock's key when the kernel gives no cpu_id callback (sync/src/publish.c).
 * EL1 only. Host builds have no such register and never call it.
 */
#ifndef PRSCHED_CPU_INDEX_H
#define PRSCHED_CPU_INDEX_H

#include <stdint.h>

static inline unsigned prs_arch_cpu_index(void)
{
#if defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return (unsigned)(v & 0xFFu);
#elif defined(__arm__)
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
	return (unsigned)(v & 0xFFu);
#else
	return 0u;
#endif
}

#endif
