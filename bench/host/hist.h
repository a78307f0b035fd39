/* SPDX-License-Identifier: MIT */
/*
 * Latency histogram in TSC cycles: exact below 4096 cycles (about 1.8 us at
 * 2.3 GHz), then 16 bins per power of two (6 % wide), plus the exact max.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

#define HIST_LIN 4096u
#define HIST_SUB 16u
#define HIST_BINS (HIST_LIN + (64u - 12u) * HIST_SUB)

struct hist {
	uint64_t n;
	uint64_t max;
	uint64_t bin[HIST_BINS];
};

static inline unsigned hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_LIN)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v); /* v >= 4096: e >= 12 */
	return HIST_LIN + (e - 12u) * HIST_SUB + (unsigned)((v >> (e - 4u)) & (HIST_SUB - 1u));
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->bin[hist_index(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

void hist_merge(struct hist *dst, const struct hist *src);
/* Value (cycles) at quantile q in [0,1]: the bin's midpoint above 4096. */
uint64_t hist_quantile(const struct hist *h, double q);

#endif
