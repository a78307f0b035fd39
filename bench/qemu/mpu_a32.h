/* SPDX-License-Identifier: MIT */
/*
 * AArch32 (Cortex-R52) MPU and barrier accessors for the benchmark's
 * baselines: the writes and barriers, which must be counted (plain reads
 * come from the runtime's rt/sysreg.h). Every MPU register write and every barrier goes through one of
 * these, so the per-switch counts in the CSV come from the baseline code
 * itself: each baseline source is compiled a second time with BENCH_COUNT=1
 * (see *_count.c), where the same accessors also bump bench_nwrites /
 * bench_nbarriers. The timed build (BENCH_COUNT=0) has no counting code.
 *
 * "MPU register write" = any write that configures the EL1 MPU: PRSELR,
 * PRBAR(n), PRLAR(n), SCTLR (M or BR toggles) and MAIR0/1. Barriers = DMB,
 * DSB and ISB instructions (including those inside atomics).
 */
#ifndef BENCH_MPU_A32_H
#define BENCH_MPU_A32_H

#include <stdint.h>
#include "rt/sysreg.h" /* reads: rt_read_sctlr, rt_read_mair0/1, rt_read_mpuir */

#ifndef BENCH_COUNT
#define BENCH_COUNT 0
#endif

/* Defined in switch_bench.c; only the counting builds touch them. */
extern unsigned bench_nwrites, bench_nbarriers;

#if BENCH_COUNT
#define BENCH_W() (bench_nwrites++)
#define BENCH_B() (bench_nbarriers++)
/* The counting twin of a baseline function gets a _count suffix. */
#define BENCH_FN(name) name##_count
#else
#define BENCH_W() ((void)0)
#define BENCH_B() ((void)0)
#define BENCH_FN(name) name
#endif

#define A32_SCTLR_M (1u << 0)
#define A32_SCTLR_BR (1u << 17)

#define A32_MCR(crn, crm, op2, v) \
	__asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 : : "r"(v) : "memory")
#define A32_MRC(crn, crm, op2, v) \
	__asm__ volatile("mrc p15, 0, %0, " #crn ", " #crm ", " #op2 : "=r"(v) : : "memory")

static inline void a32_dmb(void)
{
	BENCH_B();
	__asm__ volatile("dmb sy" : : : "memory");
}

static inline void a32_dsb(void)
{
	BENCH_B();
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void a32_isb(void)
{
	BENCH_B();
	__asm__ volatile("isb" : : : "memory");
}

/* A hint, not a barrier: on QEMU's round-robin TCG it hands the host thread
 * to the other vCPU (see switch_bench.c, "contended"). */
static inline void a32_yield(void)
{
	__asm__ volatile("yield" : : : "memory");
}

static inline void a32_prselr(uint32_t v)
{
	BENCH_W();
	A32_MCR(c6, c2, 1, v);
}

static inline void a32_prbar(uint32_t v)
{
	BENCH_W();
	A32_MCR(c6, c3, 0, v);
}

static inline void a32_prlar(uint32_t v)
{
	BENCH_W();
	A32_MCR(c6, c3, 1, v);
}

static inline uint32_t a32_prbar_read(void)
{
	uint32_t v;

	A32_MRC(c6, c3, 0, v);
	return v;
}

static inline uint32_t a32_prlar_read(void)
{
	uint32_t v;

	A32_MRC(c6, c3, 1, v);
	return v;
}

static inline void a32_sctlr_write(uint32_t v)
{
	BENCH_W();
	A32_MCR(c1, c0, 0, v);
}

static inline void a32_mair0_write(uint32_t v)
{
	BENCH_W();
	A32_MCR(c10, c2, 0, v);
}

static inline void a32_mair1_write(uint32_t v)
{
	BENCH_W();
	A32_MCR(c10, c2, 1, v);
}

/* DCCMVAC: clean one data-cache line to the point of coherency. */
static inline void a32_dccmvac(uintptr_t addr)
{
	A32_MCR(c7, c10, 1, addr);
}

/*
 * Direct PRBARn/PRLARn (n = 0..15): CRm = 8 + n/2, opc2 = 4*(n&1) for PRBAR
 * and one more for PRLAR. The register number is part of the instruction,
 * so callers spell n as a literal.
 */
#define A32_DIRECT_PAIR(crm, ob, ol, b, l)                                            \
	do {                                                                          \
		BENCH_W();                                                            \
		BENCH_W();                                                            \
		__asm__ volatile("mcr p15, 0, %0, c6, " #crm ", " #ob "\n\t"         \
				 "mcr p15, 0, %1, c6, " #crm ", " #ol                 \
				 : : "r"(b), "r"(l) : "memory");                      \
	} while (0)

#endif
