/* SPDX-License-Identifier: MIT */
/*
 * Baseline "freertos-cr82": the MPU part of the FreeRTOS Cortex-R82 port's
 * context switch, re-expressed with AArch32 (Cortex-R52) registers. Written
 * for this benchmark from a reading of the algorithm; no FreeRTOS code.
 *
 * Source read (FreeRTOS/FreeRTOS-Kernel, portable/GCC/ARM_CR82/portASM.S):
 *   portRESTORE_CONTEXT, configENABLE_MPU == 1, unprivileged task:
 *     DMB SY; SCTLR_EL1.M = 0 (MPU off, no barrier); MAIR_EL1 from the TCB;
 *     portLOAD_MPU_REGIONS_ADDRESSES: for every region from portSTACK_REGION
 *     to configTOTAL_MPU_REGIONS - 1: PRSELR_EL1 = i; ISB; PRBAR_EL1;
 *     PRLAR_EL1 (pairs from the TCB's xMPUSettings, unused ones zero);
 *     then DSB SY; ISB; SCTLR_EL1.M = 1; DSB SY (the ERET that follows is
 *     the context synchronization).
 *   portSAVE_CONTEXT, same configuration: MAIR_EL1 to the TCB, then
 *     portSTORE_MPU_REGIONS_ADDRESSES: for every such region PRSELR_EL1 = i;
 *     ISB; read PRBAR_EL1 and PRLAR_EL1 back into the TCB.
 *
 * AArch32 mapping: the 64-bit MAIR_EL1 is MAIR0 + MAIR1 (two writes);
 * PRSELR/PRBAR/PRLAR and SCTLR.M are the same fields. portSTACK_REGION is
 * the first slot after the static map (the runtime's), configTOTAL_MPU_
 * REGIONS the MPUIR count. Two implementations are measured: "freertos-cr82"
 * is the restore alone (what the switch-in costs), case "full+save" is the
 * outgoing task's save followed by the incoming task's restore, which is
 * what the port executes per switch between two unprivileged tasks.
 */
#include <stdint.h>

#include "bench.h"
#include "mpu_a32.h"

/* The TCB's MPU settings: MAIR, then (PRBAR, PRLAR) per programmable slot. */
struct fr_mpu_settings {
	uint32_t mair0, mair1;
	uint32_t regs[2 * BENCH_MAX_SLOTS];
};

#if !BENCH_COUNT
unsigned fr_first, fr_total; /* portSTACK_REGION, configTOTAL_MPU_REGIONS */
struct fr_mpu_settings fr_tcb[2];
#else
extern unsigned fr_first, fr_total;
extern struct fr_mpu_settings fr_tcb[2];
#endif

static inline void fr_restore(const struct fr_mpu_settings *s)
{
	const uint32_t *r = s->regs;
	uint32_t v;

	a32_dmb();
	v = rt_read_sctlr();
	a32_sctlr_write(v & ~A32_SCTLR_M);
	a32_mair0_write(s->mair0);
	a32_mair1_write(s->mair1);
	for (unsigned i = fr_first; i <= fr_total - 1u; i++) {
		a32_prselr(i);
		a32_isb();
		a32_prbar(r[0]);
		a32_prlar(r[1]);
		r += 2;
	}
	a32_dsb();
	a32_isb();
	v = rt_read_sctlr();
	a32_sctlr_write(v | A32_SCTLR_M);
	a32_dsb();
}

static inline void fr_save(struct fr_mpu_settings *s)
{
	uint32_t *r = s->regs;

	s->mair0 = rt_read_mair0();
	s->mair1 = rt_read_mair1();
	for (unsigned i = fr_first; i <= fr_total - 1u; i++) {
		a32_prselr(i);
		a32_isb();
		r[0] = a32_prbar_read();
		r[1] = a32_prlar_read();
		r += 2;
	}
}

void BENCH_FN(fr_switch)(unsigned t);
void BENCH_FN(fr_switch)(unsigned t)
{
	fr_restore(&fr_tcb[t]);
}

/* Switch from thread 1 - t to thread t: save the outgoing, restore. */
void BENCH_FN(fr_switch_save)(unsigned t);
void BENCH_FN(fr_switch_save)(unsigned t)
{
	fr_save(&fr_tcb[t ^ 1u]);
	fr_restore(&fr_tcb[t]);
}

#if !BENCH_COUNT
void fr_switch_count(unsigned t);
void fr_switch_save_count(unsigned t);

static int fr_setup(const struct bench_pair *p)
{
	fr_first = p->nstatic;
	fr_total = p->nregions;
	for (unsigned t = 0; t < 2; t++) {
		fr_tcb[t].mair0 = rt_read_mair0();
		fr_tcb[t].mair1 = rt_read_mair1();
		for (unsigned i = p->nstatic; i < p->nregions; i++) {
			fr_tcb[t].regs[2 * (i - p->nstatic)] = p->prbar[t][i];
			fr_tcb[t].regs[2 * (i - p->nstatic) + 1] = p->prlar[t][i];
		}
	}
	return 0;
}

const struct bench_impl bench_freertos = {
	.name = "freertos-cr82",
	.setup = fr_setup,
	.switch_to = fr_switch,
	.switch_count = fr_switch_count,
};

const struct bench_impl bench_freertos_save = {
	.name = "freertos-cr82",
	.setup = fr_setup,
	.switch_to = fr_switch_save,
	.switch_count = fr_switch_save_count,
};
#endif
