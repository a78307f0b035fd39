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
 * DSB and ISB instructions (including those inside atomics). Acquire/release
 * accesses (BENCH_O) = LDA/STL and LDAEX/STLEX executed, for the silicon
 * cost model (run.sh); a baseline whose loop is written in assembly adds
 * its per-iteration counts with BENCH_W_N / BENCH_B_N.
 */
#ifndef BENCH_MPU_A32_H
#define BENCH_MPU_A32_H

#include <stdint.h>
#include "rt/sysreg.h" /* reads: rt_read_sctlr, rt_read_mair0/1, rt_read_mpuir */

#ifndef BENCH_COUNT
#define BENCH_COUNT 0
#endif

/* Defined in switch_bench.c; only the counting builds touch them. */
extern unsigned bench_nwrites, bench_nbarriers, bench_nacqrel;

#if BENCH_COUNT
#define BENCH_W() (bench_nwrites++)
#define BENCH_B() (bench_nbarriers++)
#define BENCH_O(k) (bench_nacqrel += (k))
#define BENCH_W_N(k) (bench_nwrites += (k))
#define BENCH_B_N(k) (bench_nbarriers += (k))
/* The counting twin of a baseline function gets a _count suffix. */
#define BENCH_FN(name) name##_count
#else
#define BENCH_W() ((void)0)
#define BENCH_B() ((void)0)
#define BENCH_O(k) ((void)0)
#define BENCH_W_N(k) ((void)0)
#define BENCH_B_N(k) ((void)0)
#define BENCH_FN(name) name
#endif

#define A32_SCTLR_M (1u << 0)
#define A32_SCTLR_BR (1u << 17)

#define A32_MCR(crn, crm, op2, v) \
	__asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 : : "r"(v) : "memory")

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

#endif
