/* SPDX-License-Identifier: MIT */
/*
 * Baseline "threadx-r52": the module-thread MPU load of ThreadX's Cortex-R52
 * module port. Written for this benchmark from a reading of the algorithm;
 * no ThreadX code.
 *
 * Source read (eclipse-threadx/threadx, ports_module/cortex_r52/gnu/
 * module_manager/src/tx_thread_schedule.S, _tx_thread_schedule): for a
 * thread whose module instance has both TXM_MODULE_USER_MODE and
 * TXM_MODULE_MEMORY_PROTECTION set, the module's region table (eight
 * PRBAR/PRLAR pairs in the TXM_MODULE_INSTANCE, regions 8..15, unused ones
 * zero) is written unrolled through the direct PRBARn/PRLARn registers with
 * no barrier in between, then one DSB + ISB. Uniprocessor only: no flag, no
 * lock, and the whole table is written at every switch.
 *
 * Re-expression on QEMU's 16-region R52: the table covers every dynamic
 * slot (nstatic..15) instead of the fixed 8..15, so each switch writes
 * 2 * (16 - nstatic) registers whatever the thread uses. Left out: the
 * port's extra step that closes the kernel's window over the module area
 * (PRSELR = 16, ISB, PRLAR = 0 on region 16, just before the DSB+ISB). It
 * exists for the S32Z280's 24-region MPU and that port's memory map; QEMU's
 * R52 has no region 16 and this benchmark has no such window. It would add
 * two MPU writes and one ISB per switch (about 3 ns on QEMU).
 */
#include <stdint.h>

#include "bench.h"
#include "mpu_a32.h"

#define TX_MODULE_PROTECTED 0x3u /* USER_MODE | MEMORY_PROTECTION */

struct tx_module_instance {
	uint32_t property_flags;
	uint32_t mpu_regs[2 * BENCH_MAX_SLOTS]; /* indexed by absolute slot */
};

struct tx_thread {
	struct tx_module_instance *module;
};

#if !BENCH_COUNT
unsigned tx_first; /* first slot of the module table */
struct tx_module_instance tx_modules[2];
struct tx_thread tx_threads[2];
#else
extern unsigned tx_first;
extern struct tx_module_instance tx_modules[2];
extern struct tx_thread tx_threads[2];
#endif

#define TX_SLOT(n, crm, ob, ol)                                     \
	case n:                                                     \
		A32_DIRECT_PAIR(crm, ob, ol, r[2 * (n)], r[2 * (n) + 1]); \
		__attribute__((fallthrough));

/* Unrolled, entered at the first module slot (a computed jump, no loop). */
static inline void tx_load(const uint32_t *r, unsigned first)
{
	switch (first) {
		TX_SLOT(0, c8, 0, 1)
		TX_SLOT(1, c8, 4, 5)
		TX_SLOT(2, c9, 0, 1)
		TX_SLOT(3, c9, 4, 5)
		TX_SLOT(4, c10, 0, 1)
		TX_SLOT(5, c10, 4, 5)
		TX_SLOT(6, c11, 0, 1)
		TX_SLOT(7, c11, 4, 5)
		TX_SLOT(8, c12, 0, 1)
		TX_SLOT(9, c12, 4, 5)
		TX_SLOT(10, c13, 0, 1)
		TX_SLOT(11, c13, 4, 5)
		TX_SLOT(12, c14, 0, 1)
		TX_SLOT(13, c14, 4, 5)
		TX_SLOT(14, c15, 0, 1)
		TX_SLOT(15, c15, 4, 5)
	default:
		break;
	}
}

void BENCH_FN(tx_switch)(unsigned t);
void BENCH_FN(tx_switch)(unsigned t)
{
	const struct tx_module_instance *m = tx_threads[t].module;

	/* Not a protected module thread: the port closes the module regions;
	 * every thread here is one, so that path is not part of the sequence. */
	if (m == 0 || (m->property_flags & TX_MODULE_PROTECTED) != TX_MODULE_PROTECTED)
		return;
	tx_load(m->mpu_regs, tx_first);
	a32_dsb();
	a32_isb();
}

#if !BENCH_COUNT
void tx_switch_count(unsigned t);

static int tx_setup(const struct bench_pair *p)
{
	if (p->nregions != BENCH_MAX_SLOTS)
		return -1; /* the unrolled table assumes PRBAR0..15 exist */
	tx_first = p->nstatic;
	for (unsigned t = 0; t < 2; t++) {
		tx_modules[t].property_flags = TX_MODULE_PROTECTED;
		for (unsigned i = 0; i < BENCH_MAX_SLOTS; i++) {
			tx_modules[t].mpu_regs[2 * i] = p->prbar[t][i];
			tx_modules[t].mpu_regs[2 * i + 1] = p->prlar[t][i];
		}
		tx_threads[t].module = &tx_modules[t];
	}
	return 0;
}

const struct bench_impl bench_threadx = {
	.name = "threadx-r52",
	.setup = tx_setup,
	.switch_to = tx_switch,
	.switch_count = tx_switch_count,
};
#endif
