/* SPDX-License-Identifier: MIT */
/* Helpers shared by the off-line unit tests. */
#ifndef PRS_LIB_TEST_H
#define PRS_LIB_TEST_H

#include <stddef.h>
#include "prs_test.h"
#include "prsched/build.h"
#include "prsched/error.h"

#define P_R PRS_EL1_R
#define P_RW (PRS_EL1_R | PRS_EL1_W)
#define P_RR (PRS_EL1_R | PRS_EL0_R)
#define P_RWRW (PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W)
#define P_RX (PRS_EL1_R | PRS_EXEC)

static inline struct prs_range prs_rng(uint64_t base, uint64_t size, unsigned perm,
				       unsigned memtype, unsigned share, unsigned opts)
{
	struct prs_range r = { base, size, (uint8_t)perm, (uint8_t)memtype, (uint8_t)share,
			       (uint8_t)opts };
	return r;
}

static inline int prs_same_bytes(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* Fill with a pattern no function writes, so "untouched" is checkable. */
static inline void prs_poison(void *p, size_t n)
{
	unsigned char *x = p;

	for (size_t i = 0; i < n; i++)
		x[i] = (unsigned char)(0x5Au ^ (i * 7u));
}

#endif
