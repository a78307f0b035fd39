/* SPDX-License-Identifier: MIT */
/*
 * MPU register backends, chosen at compile time: the switch path
 * (percpu/src/switch.c) is the same C for all three.
 *
 *   host     a software MPU model (lib/arch/host/mpu_model.c) that keeps every
 *            write pending until the next ISB, so tests can look at every mix
 *            of old and new values the architecture allows in between.
 *   AArch32  Cortex-R52: direct PRBARn/PRLARn (MCR p15,0,Rt,c6,c(8+(n>>1)),
 *            (n&1)*4 [+1]) for n = 0..15, no selector and no barrier per
 *            region; n >= 16 through PRSELR + ISB + PRBAR/PRLAR, because the
 *            direct encodings for 16..31 (opc1=1) land on region n-16 in QEMU.
 *   AArch64  Cortex-R82: PRBARn_EL1/PRLARn_EL1 (S3_0_C6_C(8+(n>>1))_((n&1)*4)
 *            [+1]) reach region PRSELR[7:4]:n, so bank 16..31 costs one
 *            PRSELR_EL1 = 16 + ISB per phase (prs_mpu_bank_hi) and the
 *            accessors for n >= 16 may only run after it; prs_mpu_bank_lo()
 *            puts PRSELR_EL1 back to 0 before the ISB that closes the phase.
 *            PRSELR_EL1 is 0 whenever the switch starts. Where the bank
 *            changes is fixed by the code's shape (percpu/src/copy.h), never
 *            by a run-time flag, so the disassembly check can prove it.
 *
 * The register number must be an immediate in the opcode. Every accessor is
 * a switch over the slot number that folds to one instruction because the
 * switch path calls it with constants (it is unrolled over slots by
 * PRS_EACH_SLOT); the disassembly test fails if a jump table or a loop is
 * left in the r52 build.
 */
#ifndef PRSCHED_MPU_BACKEND_H
#define PRSCHED_MPU_BACKEND_H

#include <stdint.h>
#include "prsched/set.h"
#include "slots.h"

#if defined(PRS_BACKEND_HOST) || (!defined(__arm__) && !defined(__aarch64__))
#define PRS_MPU_HOST 1
#include "prsched/mpu_model.h"
#else
#define PRS_MPU_HOST 0
#endif

#define PRS_INLINE static inline __attribute__((always_inline))

/* The body of a register accessor: one case per slot, each a constant register number. */
#define PRS_SLOT_SWITCH(n, CASE)     \
	switch (n) {                 \
		PRS_EACH_SLOT(CASE)  \
	default:                     \
		break;               \
	}

/* State of one batch of writes (one switch): the host model. */
struct prs_mpu_batch {
	void *hw;
};

#if PRS_MPU_HOST

PRS_INLINE void prs_mpu_dsb(struct prs_mpu_batch *b)
{
	if (b->hw)
		prs_mpu_model_dsb(b->hw);
}

PRS_INLINE void prs_mpu_isb(struct prs_mpu_batch *b)
{
	if (b->hw)
		prs_mpu_model_isb(b->hw);
}

PRS_INLINE void prs_mpu_prbar(struct prs_mpu_batch *b, unsigned n, prs_reg_t v)
{
	if (b->hw)
		prs_mpu_model_write(b->hw, 0, n, v);
}

PRS_INLINE void prs_mpu_prlar(struct prs_mpu_batch *b, unsigned n, prs_reg_t v)
{
	if (b->hw)
		prs_mpu_model_write(b->hw, 1, n, v);
}

PRS_INLINE prs_reg_t prs_mpu_rd_prbar(struct prs_mpu_batch *b, unsigned n)
{
	return b->hw ? prs_mpu_model_read(b->hw, 0, n) : 0u;
}

PRS_INLINE prs_reg_t prs_mpu_rd_prlar(struct prs_mpu_batch *b, unsigned n)
{
	return b->hw ? prs_mpu_model_read(b->hw, 1, n) : 0u;
}

#else

/* Both targets: the same barrier instructions. */
PRS_INLINE void prs_mpu_dsb(struct prs_mpu_batch *b)
{
	(void)b;
	__asm__ volatile("dsb sy" ::: "memory");
}

PRS_INLINE void prs_mpu_isb(struct prs_mpu_batch *b)
{
	(void)b;
	__asm__ volatile("isb" ::: "memory");
}

#if defined(__aarch64__)

/* Bank 16..31: PRSELR_EL1[7:4] = 1, synchronized before the direct registers use it. */
PRS_INLINE void prs_mpu_bank_hi(struct prs_mpu_batch *b)
{
	(void)b;
	__asm__ volatile("msr S3_0_C6_C2_1, %0\n\tisb" : : "r"(16ul) : "memory");
}

/* Back to bank 0; the ISB that closes the phase synchronizes it. */
PRS_INLINE void prs_mpu_bank_lo(struct prs_mpu_batch *b)
{
	(void)b;
	__asm__ volatile("msr S3_0_C6_C2_1, %0" : : "r"(0ul) : "memory");
}

/* Slot n (n >= 16: after prs_mpu_bank_hi): MSR / MRS of PRBARn_EL1 or PRLARn_EL1. */
#define PRS_WR_CASE(n, lar)                                                           \
	case (n):                                                                     \
		__asm__ volatile("msr S3_0_C6_C%c1_%c2, %0"                           \
				 :                                                    \
				 : "r"(v), "i"(8 + (((n) >> 1) & 7)), "i"(((n) & 1) * 4 + (lar))); \
		break;
#define PRS_RD_CASE(n, lar)                                                            \
	case (n):                                                                      \
		__asm__ volatile("mrs %0, S3_0_C6_C%c1_%c2"                            \
				 : "=r"(v)                                             \
				 : "i"(8 + (((n) >> 1) & 7)), "i"(((n) & 1) * 4 + (lar))); \
		break;

#else /* __arm__ */

/*
 * n < 16: the direct register. n >= 16: PRSELR = n, ISB, PRBAR/PRLAR. The
 * extra ISB only commits part of the batch early, which narrows the set of
 * old/new mixes the write-order argument in copy.h already covers.
 */
#define PRS_WR_CASE(n, lar)                                                             \
	case (n):                                                                       \
		if ((n) < 16)                                                           \
			__asm__ volatile("mcr p15, 0, %0, c6, c%c1, %c2"                \
					 :                                              \
					 : "r"(v), "i"(8 + (((n) >> 1) & 7)),           \
					   "i"(((n) & 1) * 4 + (lar)));                 \
		else                                                                    \
			__asm__ volatile("mcr p15, 0, %0, c6, c2, 1\n\tisb\n\t"         \
					 "mcr p15, 0, %1, c6, c3, %c2"                  \
					 :                                              \
					 : "r"((uint32_t)(n)), "r"(v), "i"(lar)         \
					 : "memory");                                   \
		break;
#define PRS_RD_CASE(n, lar)                                                             \
	case (n):                                                                       \
		if ((n) < 16)                                                           \
			__asm__ volatile("mrc p15, 0, %0, c6, c%c1, %c2"                \
					 : "=r"(v)                                      \
					 : "i"(8 + (((n) >> 1) & 7)),                   \
					   "i"(((n) & 1) * 4 + (lar)));                 \
		else                                                                    \
			__asm__ volatile("mcr p15, 0, %1, c6, c2, 1\n\tisb\n\t"         \
					 "mrc p15, 0, %0, c6, c3, %c2"                  \
					 : "=r"(v)                                      \
					 : "r"((uint32_t)(n)), "i"(lar)                 \
					 : "memory");                                   \
		break;

#endif /* __aarch64__ */

/* The four accessors of both targets, over the arch's PRS_WR_CASE / PRS_RD_CASE. */
#define PRS_WR_BAR(n) PRS_WR_CASE(n, 0)
#define PRS_WR_LAR(n) PRS_WR_CASE(n, 1)
#define PRS_RD_BAR(n) PRS_RD_CASE(n, 0)
#define PRS_RD_LAR(n) PRS_RD_CASE(n, 1)

PRS_INLINE void prs_mpu_prbar(struct prs_mpu_batch *b, unsigned n, prs_reg_t v)
{
	(void)b;
	PRS_SLOT_SWITCH(n, PRS_WR_BAR)
}

PRS_INLINE void prs_mpu_prlar(struct prs_mpu_batch *b, unsigned n, prs_reg_t v)
{
	(void)b;
	PRS_SLOT_SWITCH(n, PRS_WR_LAR)
}

PRS_INLINE prs_reg_t prs_mpu_rd_prbar(struct prs_mpu_batch *b, unsigned n)
{
	prs_reg_t v = 0;

	(void)b;
	PRS_SLOT_SWITCH(n, PRS_RD_BAR)
	return v;
}

PRS_INLINE prs_reg_t prs_mpu_rd_prlar(struct prs_mpu_batch *b, unsigned n)
{
	prs_reg_t v = 0;

	(void)b;
	PRS_SLOT_SWITCH(n, PRS_RD_LAR)
	return v;
}
#endif

#if PRS_MPU_HOST || !defined(__aarch64__)
/* No banks: every slot has its own registers (AArch32: PRSELR per access above 15). */
PRS_INLINE void prs_mpu_bank_hi(struct prs_mpu_batch *b)
{
	(void)b;
}

PRS_INLINE void prs_mpu_bank_lo(struct prs_mpu_batch *b)
{
	(void)b;
}
#endif

/*
 * Slot n's pair from a class set (PRBAR, PRLAR adjacent): on AArch32 one
 * 64-bit volatile load, which GCC emits as a single LDRD at any
 * optimization level (two 32-bit loads otherwise); little-endian, so PRBAR
 * is the low word.
 */
PRS_INLINE void prs_mpu_pair(struct prs_mpu_batch *b, unsigned n, const prs_reg_t *p)
{
#if defined(__arm__)
	uint64_t v = *(const volatile uint64_t *)(const void *)p;

	prs_mpu_prbar(b, n, (prs_reg_t)v);
	prs_mpu_prlar(b, n, (prs_reg_t)(v >> 32));
#else
	prs_mpu_prbar(b, n, p[0]);
	prs_mpu_prlar(b, n, p[1]);
#endif
}

#endif
