/* SPDX-License-Identifier: MIT */
/*
 * Baseline "threadx-r52" (uniprocessor): the module-thread MPU load of
 * ThreadX's Cortex-R52 module port. Written for this benchmark from a
 * reading of the algorithm; no ThreadX code.
 *
 * Source read, line by line (eclipse-threadx/threadx at 8fff64d03f47,
 * ports_module/cortex_r52/gnu/module_manager/src/tx_thread_schedule.S,
 * _tx_thread_schedule):
 *   L207-212  LDR the thread's module instance, CMP, BEQ to the "regions
 *             off" path; LDR the instance's data start, CMP, BEQ (same);
 *   L222      ADD: address of the instance's region table;
 *   L224-247  eight regions, 8..15, unrolled: per region one LDMIA {r2, r3}
 *             (base, limit) and two MCRs to the direct PRBARn/PRLARn, no
 *             barrier in between (3 instructions, 2 writes a region);
 *   L259-263  close the kernel's window region over the module area
 *             (MPU_MODULE_WINDOW_REGION = 16, L69): MOV, MCR PRSELR, ISB,
 *             MOV, MCR PRLAR = 0;
 *   L265-267  DSB, ISB, B past the "off" path.
 * Per switch: 7 + 3 x 8 + 5 + 3 = 39 instructions, 18 MPU writes, 3
 * barriers, no flag and no lock: the port is uniprocessor (a module thread's
 * table is never rewritten under a running CPU).
 *
 * Re-expression on QEMU's 16-region R52, at the same number of dynamic
 * regions N as the other implementations: the table holds N regions in the
 * top N slots (16 - N .. 15), so N = 8 is the port's own slots 8..15, and
 * the same three instructions are repeated per region (one function per N,
 * unrolled, no computed entry). The window region is a dynamic slot the
 * table does not use (15 - N, disabled, stays disabled); at N = 12 no slot is
 * left on this part (4 static + 12), so the close hits the table's lowest
 * slot: same instructions, writes and barriers, that slot ends disabled
 * (nothing in the benchmark touches the thread regions). Left out: the
 * "off" path for kernel threads (L269-313), never taken here.
 */
#include <stdint.h>

#include "bench.h"
#include "mpu_a32.h"
#include "rt/mpu.h"

struct tx_module_instance {
	uint32_t data_start;               /* non-zero: protection configured */
	uint32_t mpu_regs[2 * BENCH_MAX_SLOTS]; /* N (PRBAR, PRLAR) pairs */
};

struct tx_thread {
	struct tx_module_instance *module;
};

#if !BENCH_COUNT
struct tx_module_instance tx_modules[2];
struct tx_thread tx_threads[2];
#else
extern struct tx_module_instance tx_modules[2];
extern struct tx_thread tx_threads[2];
#endif

/* Region n: LDMIA of its pair, MCR PRBARn, MCR PRLARn (L224-226 and on). */
#define TX_PAIR(crm, ob, ol)                                                            \
	do {                                                                            \
		BENCH_W();                                                              \
		BENCH_W();                                                              \
		__asm__ volatile("ldmia %0!, {r2, r3}\n\t"                              \
				 "mcr p15, 0, r2, c6, " #crm ", " #ob "\n\t"             \
				 "mcr p15, 0, r3, c6, " #crm ", " #ol                    \
				 : "+r"(r) : : "r2", "r3", "memory");                    \
	} while (0)

/* TX_FROM_k: regions k..15 in order. */
#define TX_FROM_15 TX_PAIR(c15, 4, 5)
#define TX_FROM_14 TX_PAIR(c15, 0, 1); TX_FROM_15
#define TX_FROM_13 TX_PAIR(c14, 4, 5); TX_FROM_14
#define TX_FROM_12 TX_PAIR(c14, 0, 1); TX_FROM_13
#define TX_FROM_11 TX_PAIR(c13, 4, 5); TX_FROM_12
#define TX_FROM_10 TX_PAIR(c13, 0, 1); TX_FROM_11
#define TX_FROM_9 TX_PAIR(c12, 4, 5); TX_FROM_10
#define TX_FROM_8 TX_PAIR(c12, 0, 1); TX_FROM_9
#define TX_FROM_7 TX_PAIR(c11, 4, 5); TX_FROM_8
#define TX_FROM_6 TX_PAIR(c11, 0, 1); TX_FROM_7
#define TX_FROM_5 TX_PAIR(c10, 4, 5); TX_FROM_6
#define TX_FROM_4 TX_PAIR(c10, 0, 1); TX_FROM_5

/* The window slot for a table of n regions (see the top of the file). */
#define TX_WINDOW(n) (15u - (n) >= (unsigned)RT_MPU_NSTATIC ? 15u - (n) : 16u - (n))

/* The switch for the table from slot `first` (N = 16 - first regions):
 * module checks, the table, window close, DSB + ISB. */
#define TX_FN(first)                                                               \
	void BENCH_FN(tx_switch_##first)(unsigned t);                               \
	void BENCH_FN(tx_switch_##first)(unsigned t)                                \
	{                                                                          \
		const struct tx_module_instance *m = tx_threads[t].module;           \
		const uint32_t *r;                                                  \
                                                                                   \
		if (m == 0 || m->data_start == 0)                                   \
			return; /* the "off" path: not part of this sequence */     \
		r = m->mpu_regs;                                                    \
		TX_FROM_##first;                                                    \
		a32_prselr(TX_WINDOW(16u - (first)));                               \
		a32_isb();                                                          \
		a32_prlar(0u);                                                      \
		a32_dsb();                                                          \
		a32_isb();                                                          \
	}

TX_FN(4)
TX_FN(5)
TX_FN(6)
TX_FN(7)
TX_FN(8)
TX_FN(9)
TX_FN(10)
TX_FN(11)
TX_FN(12)
TX_FN(13)
TX_FN(14)
TX_FN(15)

#if !BENCH_COUNT
#define TX_DECL(k) void tx_switch_##k##_count(unsigned t);
TX_DECL(4) TX_DECL(5) TX_DECL(6) TX_DECL(7) TX_DECL(8) TX_DECL(9)
TX_DECL(10) TX_DECL(11) TX_DECL(12) TX_DECL(13) TX_DECL(14) TX_DECL(15)
#undef TX_DECL

/* Indexed by N = 16 - first slot: the timed sequence and its counting twin. */
static bench_fn *const tx_fns[][2] = {
	[12] = { tx_switch_4, tx_switch_4_count },   [11] = { tx_switch_5, tx_switch_5_count },
	[10] = { tx_switch_6, tx_switch_6_count },   [9] = { tx_switch_7, tx_switch_7_count },
	[8] = { tx_switch_8, tx_switch_8_count },    [7] = { tx_switch_9, tx_switch_9_count },
	[6] = { tx_switch_10, tx_switch_10_count },  [5] = { tx_switch_11, tx_switch_11_count },
	[4] = { tx_switch_12, tx_switch_12_count },  [3] = { tx_switch_13, tx_switch_13_count },
	[2] = { tx_switch_14, tx_switch_14_count },  [1] = { tx_switch_15, tx_switch_15_count },
};

static bench_fn *tx_pick(unsigned n, int counting)
{
	if (n >= sizeof(tx_fns) / sizeof(tx_fns[0]) || !tx_fns[n][0])
		return 0;
	return tx_fns[n][counting ? 1 : 0];
}

static int tx_setup(const struct bench_pair *p)
{
	if (p->nregions != BENCH_MAX_SLOTS || p->nstatic != (unsigned)RT_MPU_NSTATIC ||
	    p->nstatic + p->n > BENCH_MAX_SLOTS)
		return -1; /* the unrolled table assumes PRBAR0..15 and this static map */
	/* No other baseline's regions left behind (they use the low slots). */
	for (unsigned s = p->nstatic; s < p->nregions; s++)
		(void)rt_mpu_write(s, 0u, 0u);
	rt_mpu_sync();
	for (unsigned t = 0; t < 2; t++) {
		tx_modules[t].data_start = 1u;
		for (unsigned i = 0; i < p->n; i++) {
			tx_modules[t].mpu_regs[2 * i] = p->prbar[t][p->nstatic + i];
			tx_modules[t].mpu_regs[2 * i + 1] = p->prlar[t][p->nstatic + i];
		}
		tx_threads[t].module = &tx_modules[t];
	}
	return 0;
}

/* Leave the dynamic slots as the next implementation's setup expects. */
static void tx_teardown(void)
{
	for (unsigned s = (unsigned)RT_MPU_NSTATIC; s < BENCH_MAX_SLOTS; s++)
		(void)rt_mpu_write(s, 0u, 0u);
	rt_mpu_sync();
}

const struct bench_impl bench_threadx = {
	.name = "threadx-r52",
	.setup = tx_setup,
	.switch_to = 0,
	.switch_count = 0,
	.pick = tx_pick,
	.teardown = tx_teardown,
};
#endif
