/* SPDX-License-Identifier: MIT */
/*
 * Instruction counts of the switch path on r52 under QEMU -icount shift=0
 * (1 ns per instruction, CNTPCT at 62.5 MHz = 16 instructions per tick):
 * the fast path, a full change of N regions, and the loop baseline. Printed,
 * not asserted (performance belongs to benchmarks); the test only checks
 * that the MPU ends up holding the published set.
 */
#include "fixture.h"
#include "rt/rt.h"

#define ITERS 4096u

static struct prs_handle ha, hb;
static struct prs_version v;

void prs_cost_empty(struct prs_cpu *c, struct prs_handle *h);
void __attribute__((noinline)) prs_cost_empty(struct prs_cpu *c, struct prs_handle *h)
{
	__asm__ volatile("" : : "r"(c), "r"(h) : "memory");
}

/* Instructions per call of fn(cpu0, a / b alternating), baseline excluded by the caller. */
static unsigned per_call(void (*fn)(struct prs_cpu *, struct prs_handle *), struct prs_handle *a,
			 struct prs_handle *b)
{
	uint64_t t0 = rt_cntpct();

	for (unsigned i = 0; i < ITERS; i += 2) {
		fn(&fx_cpu[0], a);
		fn(&fx_cpu[0], b);
	}
	return (unsigned)((rt_cntpct() - t0) * 16u / ITERS);
}

static void t_cost(void)
{
	struct fx_region ra[FX_NDYN_MAX], rb[FX_NDYN_MAX];
	struct prs_set cur;
	unsigned base, fast, full;

	for (unsigned n = 1; n <= 8; n *= 2) {
		fx_init(1, 0);
		fx_regions(ra, n, 0x10100000u, 0x1000u, 0x10000u, 1);
		fx_regions(rb, n, 0x10180000u, 0x2000u, 0x10000u, 2);
		fx_version(&v, ra, n);
		PRS_CHECK_EQ(prs_handle_init(&ha, &fx_sys.sys, &v), PRS_OK);
		fx_version(&v, rb, n);
		PRS_CHECK_EQ(prs_handle_init(&hb, &fx_sys.sys, &v), PRS_OK);
		prs_switch(&fx_cpu[0], &ha);
		prs_switch(&fx_cpu[0], &hb);
		base = per_call(prs_cost_empty, &ha, &hb);
		fast = per_call(prs_switch, &hb, &hb);
		full = per_call(prs_switch, &ha, &hb);
		fx_current(&hb, 0, &cur);
		PRS_CHECK(fx_mpu_holds(0, &cur));
		prs_test_printf("  N=%u: fast path %u, full change %u instructions per switch "
				"(loop + call baseline %u subtracted)\n",
				n, fast - base, full - base, base);
	}
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_cost),
};

PRS_TEST_MAIN("sync.cost", tests)
