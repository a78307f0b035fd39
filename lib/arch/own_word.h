/* SPDX-License-Identifier: MIT */
/*
 * Relaxed loads and stores of words only this CPU writes (its announce and
 * loaded words, its private switch state). They order nothing.
 *
 * On the host they are C11 relaxed atomics, so ThreadSanitizer sees them.
 * On Armv8-R an aligned word LDR or STR is single-copy atomic, which is all
 * a relaxed access compiles to, but GCC's patterns for relaxed atomics take
 * only a bare base register, so each costs an extra ADD for the field's
 * offset; a volatile access of the same aligned word is the same
 * instruction with the offset folded in.
 */
#ifndef PRSCHED_OWN_WORD_H
#define PRSCHED_OWN_WORD_H

#include <stdatomic.h>
#include <stdint.h>

struct prs_handle;

#if defined(__arm__) || defined(__aarch64__)
#define PRS_OWN_VOLATILE 1
#else
#define PRS_OWN_VOLATILE 0
#endif

static inline uint32_t prs_own_load_w(_Atomic uint32_t *p)
{
#if PRS_OWN_VOLATILE
	return *(volatile uint32_t *)p;
#else
	return atomic_load_explicit(p, memory_order_relaxed);
#endif
}

static inline struct prs_handle *prs_own_load_h(_Atomic(struct prs_handle *) *p)
{
#if PRS_OWN_VOLATILE
	return *(struct prs_handle *volatile *)p;
#else
	return atomic_load_explicit(p, memory_order_relaxed);
#endif
}

static inline void prs_own_store_h(_Atomic(struct prs_handle *) *p, struct prs_handle *h)
{
#if PRS_OWN_VOLATILE
	*(struct prs_handle *volatile *)p = h;
#else
	atomic_store_explicit(p, h, memory_order_relaxed);
#endif
}

#endif
