/* SPDX-License-Identifier: MIT */
/* Version encoding, copy and check shared by all implementations; histogram. */
#include "bench.h"
#include "hist.h"

void bench_fill(struct bench_regs *dst, uint64_t ver)
{
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		dst->prbar[i] = bench_prbar(ver, i);
		dst->prlar[i] = bench_prlar(ver, i);
	}
}

void bench_copy(struct bench_regs *dst, const struct bench_regs *src)
{
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		dst->prbar[i] = src->prbar[i];
		dst->prlar[i] = src->prlar[i];
	}
}

int bench_check(const struct bench_regs *r, uint64_t *ver)
{
	uint64_t v = r->prbar[0] >> 12;

	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		if (r->prbar[i] != bench_prbar(v, i) || r->prlar[i] != bench_prlar(v, i))
			return -1;
	}
	*ver = v;
	return 0;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	for (unsigned i = 0; i < HIST_BINS; i++)
		dst->bin[i] += src->bin[i];
	dst->n += src->n;
	if (src->max > dst->max)
		dst->max = src->max;
}

static uint64_t hist_value(unsigned i)
{
	unsigned e, sub;
	uint64_t lo;

	if (i < HIST_LIN)
		return i;
	e = (i - HIST_LIN) / HIST_SUB + 12u;
	sub = (i - HIST_LIN) % HIST_SUB;
	lo = (1ull << e) + ((uint64_t)sub << (e - 4u));
	return lo + (1ull << (e - 5u)); /* middle of a bin 2^(e-4) wide */
}

uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t want, acc = 0;

	if (h->n == 0)
		return 0;
	want = (uint64_t)(q * (double)h->n);
	if (want < 1)
		want = 1;
	if (want > h->n)
		want = h->n;
	for (unsigned i = 0; i < HIST_BINS; i++) {
		acc += h->bin[i];
		if (acc >= want) {
			uint64_t v = hist_value(i);
			return v > h->max ? h->max : v;
		}
	}
	return h->max;
}
