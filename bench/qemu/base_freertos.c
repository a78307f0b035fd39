/* SPDX-License-Identifier: MIT */
/*
 * Baseline "freertos-cr82": the MPU part of the FreeRTOS Cortex-R82 port's
 * context switch, re-expressed with AArch32 (Cortex-R52) registers. Written
 * for this benchmark from a reading of the algorithm; no FreeRTOS code.
 *
 * Source read, line by line (FreeRTOS/FreeRTOS-Kernel at 4269c69a16f9,
 * portable/GCC/ARM_CR82/portASM.S), configENABLE_MPU == 1, unprivileged task:
 *   portRESTORE_CONTEXT (L437-482): L464 DMB SY; L465-467 MRS, BIC, MSR
 *     SCTLR_EL1 (MPU off, no barrier); L469-471 ADD, LDR, MSR MAIR_EL1 from
 *     the TCB; L473 portLOAD_MPU_REGIONS_ADDRESSES (L84-100): L85-86 MOV
 *     i = portSTACK_REGION, MOV limit = configTOTAL_MPU_REGIONS - 1, then
 *     per region L88-96 CMP, B.GT, MSR PRSELR_EL1, ISB, LDP (PRBAR, PRLAR
 *     from the TCB's xMPUSettings, unused ones zero), MSR PRBAR_EL1, MSR
 *     PRLAR_EL1, ADD, B (9 instructions), exit L98-99 DSB SY, ISB; then
 *     L474-476 MRS, ORR, MSR SCTLR_EL1 (MPU on); L477 DSB SY (the ERET
 *     that follows is the context synchronization).
 *   portSAVE_CONTEXT: L355-357 ADD, MRS, STR of MAIR_EL1 to the TCB, then
 *     L359 portSTORE_MPU_REGIONS_ADDRESSES (L102-117): per region L106-114
 *     CMP, B.GT, MSR PRSELR_EL1, ISB, MRS PRBAR_EL1, MRS PRLAR_EL1, STP,
 *     ADD, B.
 * The two loops are written here in assembly with the same instructions
 * (LDP/STP -> LDMIA/STMIA of the pair), so the loop is as tight as the
 * port's: a C loop costs about two more instructions a region. The port
 * supports SMP (configNUMBER_OF_CORES), but a task's regions are only ever
 * set by itself, so there is no contended case.
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

/*
 * Both port loops, i = first..last: CMP, B.GT out, PRSELR = i, ISB, the
 * body (a pair of registers through r2/r3), ADD, B back.
 */
#define FR_LOOP(body, exit)                                                    \
	__asm__ volatile("1:\n\t"                                             \
			 "cmp %[i], %[last]\n\t"                               \
			 "bgt 2f\n\t"                                          \
			 "mcr p15, 0, %[i], c6, c2, 1\n\t" /* PRSELR */        \
			 "isb\n\t" body "add %[i], %[i], #1\n\t"             \
			 "b 1b\n"                                              \
			 "2:" exit                                              \
			 : [i] "+r"(i), [r] "+r"(r)                             \
			 : [last] "r"(last)                                     \
			 : "r2", "r3", "cc", "memory")

/*
 * portLOAD_MPU_REGIONS_ADDRESSES, then DSB, ISB. Per region 3 MPU writes and
 * 1 barrier (counted from the trip count: the loop is assembly), plus the
 * two at the exit.
 */
static inline void fr_load_regions(const uint32_t *r, unsigned first, unsigned last)
{
	unsigned i = first;

	FR_LOOP("ldmia %[r]!, {r2, r3}\n\t"
		"mcr p15, 0, r2, c6, c3, 0\n\t" /* PRBAR */
		"mcr p15, 0, r3, c6, c3, 1\n\t", /* PRLAR */
		"\n\tdsb sy\n\tisb");
	BENCH_W_N(3u * (last - first + 1u));
	BENCH_B_N(last - first + 1u + 2u);
}

/* portSTORE_MPU_REGIONS_ADDRESSES: per region 1 MPU write, 1 barrier. */
static inline void fr_store_regions(uint32_t *r, unsigned first, unsigned last)
{
	unsigned i = first;

	FR_LOOP("mrc p15, 0, r2, c6, c3, 0\n\t" /* PRBAR */
		"mrc p15, 0, r3, c6, c3, 1\n\t" /* PRLAR */
		"stmia %[r]!, {r2, r3}\n\t",
		"");
	BENCH_W_N(last - first + 1u);
	BENCH_B_N(last - first + 1u);
}

static inline void fr_restore(const struct fr_mpu_settings *s)
{
	uint32_t v;

	a32_dmb();
	v = rt_read_sctlr();
	a32_sctlr_write(v & ~A32_SCTLR_M);
	a32_mair0_write(s->mair0);
	a32_mair1_write(s->mair1);
	fr_load_regions(s->regs, fr_first, fr_total - 1u);
	v = rt_read_sctlr();
	a32_sctlr_write(v | A32_SCTLR_M);
	a32_dsb();
}

static inline void fr_save(struct fr_mpu_settings *s)
{
	s->mair0 = rt_read_mair0();
	s->mair1 = rt_read_mair1();
	fr_store_regions(s->regs, fr_first, fr_total - 1u);
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
	.pick = 0,
};

const struct bench_impl bench_freertos_save = {
	.name = "freertos-cr82",
	.setup = fr_setup,
	.switch_to = fr_switch_save,
	.switch_count = fr_switch_save_count,
};
#endif
