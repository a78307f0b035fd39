/* SPDX-License-Identifier: MIT */
/*
 * Firmware variant: the same workload on QEMU's Cortex-R52 under
 * -icount shift=0,sleep=off, where virtual time advances 1 ns per
 * instruction and CNTPCT ticks every 16 ns. Prints one line per partition
 * count: "build-cost <P> <slots> <ns per build>", averaged over PRS_BC_N.
 */
#include "rt/rt.h"
#include "build_cost.h"
#include "prsched/error.h"

#define PRS_BC_N 2000u

static struct prs_bc bc;
static struct prs_set out;

int main(void)
{
	static const unsigned parts[] = { 1, 4, 8, 16 };
	uint32_t freq = rt_cntfrq();

	for (unsigned k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		uint64_t t0, t1;

		if (prs_bc_setup(&bc, parts[k]) || prs_set_build(&bc.cpu, bc.layers, 2, &out))
			return 1;
		t0 = rt_cntpct();
		for (unsigned i = 0; i < PRS_BC_N; i++)
			(void)prs_set_build(&bc.cpu, bc.layers, 2, &out);
		t1 = rt_cntpct();
		rt_printf("build-cost %u %u %llu\n", parts[k], out.ndyn,
			  (unsigned long long)((t1 - t0) * 1000000000ull / freq / PRS_BC_N));
	}
	return 0;
}
