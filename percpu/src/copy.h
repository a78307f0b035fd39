/* SPDX-License-Identifier: MIT */
/*
 * The copy (step R6): bring this CPU's MPU to a class set of a version.
 *
 *   DSB                                   earlier stores complete first
 *   [ordered phase, then ISB]             only if a region lies, or lay,
 *                                         outside the home gap
 *   blind: PRBARn, PRLARn for every slot  [nstatic, top), top = max(new end,
 *                                         old hi); disabled slots get
 *                                         (residue, 0)
 *   ISB
 *
 * A full change of N regions: 2N writes (plus 2 per slot the old set used
 * beyond the new end) and 2 barriers; 3 barriers and N more writes on the
 * ordered path. No compare against the old values on the common path.
 *
 * Invariant 6 (write order). Everything the switch touches between the DSB
 * and the final ISB -- code, stack, struct prs_cpu, the handle, the pool --
 * lies in static regions, which the copy never writes, and no dynamic
 * region of any published set overlaps a static region (prs_version_check;
 * the boot image's dynamic slots must not either). Until the ISB each
 * register may hold its old or new value, in any mix. Across slots any mix
 * is harmless: each live pair is, per slot, the old region, the new one,
 * or a cross pair, and neither of the first two reaches static memory (two
 * dynamic regions may overlap each other for a moment, but only over memory
 * nothing touches). The cross pairs (new PRBAR B1, old PRLAR L0) and (old
 * B0, new L1) span [B1, L0] and [B0, L1]:
 *
 *  - Blind path. Every slot's old PRBAR -- enabled, or the residue a
 *    disabled slot keeps -- lies in the class's home gap (the CPU's state
 *    says so: no AWAY below hi, and slots >= hi hold the residue), and so
 *    does every new one (the version's key says so: no AWAY). A gap is an
 *    interval without static memory, and a cross pair's two ends lie in it
 *    (or its PRLAR is 0: disabled), so it covers nothing but gap memory.
 *    Afterwards every slot below the new end holds a home-gap base and
 *    every slot above it the residue: the state is the new key.
 *  - Ordered path (a region leaves or enters the home gap, or the CPU's
 *    slots are unknown after init). The ordered phase reads each slot's old
 *    pair back and writes first the register that makes its cross pair a
 *    sub-range of one of the two regions: PRBAR if the slot was disabled or
 *    the base does not move down ([B1, L0] within [B0, L0], or empty),
 *    else PRLAR ([B0, L1] within [B1, L1]); a new PRLAR of 0 only ever
 *    disables. The ISB commits that phase; the blind pass then writes both
 *    registers of every slot, so each slot shows its phase-one pair or the
 *    new region. (Disabling first -- PRLAR = 0 and the new PRBAR in one
 *    batch -- is NOT enough: new PRBAR + old enabled PRLAR is allowed before
 *    the ISB and spans static memory on a downward move; the model finds
 *    it, PRS_TEST_DISABLE_FIRST.)
 *
 * The host MPU model checks every mix of every batch (tests/sync), and the
 * deliberately wrong orders (prsched/testing.h) must fail there.
 */
#ifndef PRSCHED_PERCPU_COPY_H
#define PRSCHED_PERCPU_COPY_H

#include "prsched/percpu.h"
#include "prsched/testing.h"
#include "../../lib/arch/mpu_backend.h"
#include "../../sync/src/version.h"

#if PRS_STATS
#define PRS_STAT_ADD(c, field, n)                                                        \
	atomic_store_explicit(&(c)->stats.field,                                         \
			      atomic_load_explicit(&(c)->stats.field, memory_order_relaxed) + \
				      (n),                                               \
			      memory_order_relaxed)
#else
#define PRS_STAT_ADD(c, field, n) ((void)0)
#endif

/* Where the dynamic slots start: a constant when the build fixes it (config.h). */
#if defined(PRS_NSTATIC)
#define PRS_LO(c) ((unsigned)PRS_NSTATIC)
#else
#define PRS_LO(c) ((unsigned)(c)->nstatic)
#endif

#define PRS_STEP_UP(n) (((n) + PRS_COPY_STEP - 1u) / PRS_COPY_STEP * PRS_COPY_STEP)

/*
 * The walk both phases take over the slots [lo, top): unrolled, so every
 * register number is an immediate; entered at lo through a switch (a
 * compare tree: the file is built with -fno-jump-tables) and left at the
 * first slot n >= top where CHAIN_CHECK(n) holds, with SLOT_ACTION(n) at
 * every slot on the way. The AArch64 bank 16..31 is selected at exactly one
 * place on every path -- on entry above 16, or when the walk reaches 16 --
 * and deselected on the exits above 16: where the bank changes is fixed by
 * the code's shape, never by a flag (tests/sync/check_switch_asm.py proves
 * it on the r82 binary). The caller's ISB synchronizes the deselection.
 */
#define CHAIN_ENTER(n)                        \
	case (n):                             \
		if ((n) > 16)                 \
			prs_mpu_bank_hi(b);   \
		goto chain_##n;
#define CHAIN_SLOT(n)                                       \
	chain_##n : if (CHAIN_CHECK(n) && (n) >= top) {   \
		if ((n) > 16)                                 \
			goto chain_hi_end;                    \
		goto chain_end;                               \
	}                                                     \
	if ((n) == 16)                                        \
		prs_mpu_bank_hi(b);                           \
	SLOT_ACTION(n);
#define CHAIN_WALK(lo)                                      \
	switch (lo) {                                       \
		PRS_EACH_SLOT(CHAIN_ENTER)                  \
	default:                                            \
		goto chain_end;                             \
	}                                                   \
	PRS_EACH_SLOT(CHAIN_SLOT)                           \
	chain_hi_end : prs_mpu_bank_lo(b);                  \
	chain_end:

/*
 * The blind pass: both registers of every slot from the class set's pairs,
 * up to a multiple of PRS_COPY_STEP. Checking every STEP slots instead of
 * every slot saves STEP - 1 compare-and-branch pairs per STEP slots; the
 * slots written past top (at most STEP - 1, below nslots because
 * prs_cpu_init requires nslots % PRS_COPY_STEP == 0) are disabled already
 * and get the same (residue, 0) again.
 */
PRS_INLINE void copy_blind(struct prs_mpu_batch *b, const prs_reg_t (*p)[2], unsigned lo,
			   unsigned top)
{
#define CHAIN_CHECK(n) ((n) % PRS_COPY_STEP == 0)
#define SLOT_ACTION(n) prs_mpu_pair(b, (n), *p++)
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	CHAIN_WALK(lo)
#undef SLOT_ACTION
#undef CHAIN_CHECK
	return;
}

/* Ordered phase, one slot: the register whose cross pair stays inside a region. */
PRS_INLINE void order_slot(struct prs_mpu_batch *b, unsigned n, const prs_reg_t *p,
			   unsigned flags)
{
	prs_reg_t b0 = prs_mpu_rd_prbar(b, n), l0 = prs_mpu_rd_prlar(b, n);

	if (PRS_TESTING && (flags & PRS_TEST_DISABLE_FIRST)) {
		prs_mpu_prlar(b, n, 0); /* the flawed variant: no ISB between */
		prs_mpu_prbar(b, n, p[0]);
	} else if (!(l0 & 1u) || p[0] >= b0 || (PRS_TESTING && (flags & PRS_TEST_BAR_FIRST))) {
		prs_mpu_prbar(b, n, p[0]);
	} else {
		prs_mpu_prlar(b, n, p[1]);
	}
}

/*
 * The ordered phase over [lo, top) from pairs p (p[0] for slot lo), then
 * the ISB that commits it. Rare: the copy's (lo = the first dynamic slot)
 * and prs_fault's for its one victim slot (fault.c).
 */
static __attribute__((noinline)) void copy_order(struct prs_cpu *c, const prs_reg_t (*p)[2],
						 unsigned lo, unsigned top)
{
	struct prs_mpu_batch batch = { c->hw }, *b = &batch;
	unsigned flags = 0;

#if PRS_TESTING
	flags = prs_test_cpu[c->rd.id].flags;
#endif
#define CHAIN_CHECK(n) 1
#define SLOT_ACTION(n) order_slot(b, (n), *p++, flags)
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	CHAIN_WALK(lo)
#undef SLOT_ACTION
#undef CHAIN_CHECK
	prs_mpu_isb(b);
	PRS_STAT_ADD(c, mpu_writes, top - lo);
	PRS_STAT_ADD(c, barriers, 1u);
}

/*
 * Whether a change from MPU state `state` to a set keyed `key` must take
 * the ordered phase: a region lies, or lay, outside the home gap (the
 * write-order argument above). The one rule for the copy and the fault-in.
 */
PRS_INLINE int copy_ordered(const struct prs_cpu *c, uint32_t key, uint32_t state)
{
	(void)c; /* read only by the test flag, in test compiles */
	return ((key | state) & PRS_KEY_AWAY) && !PRS_TEST_FLAG(c->rd.id, PRS_TEST_ALWAYS_BLIND);
}

/* R6: this CPU's MPU := class set s. */
PRS_INLINE void prs_copy(struct prs_cpu *c, const struct prs_vset *s)
{
	struct prs_mpu_batch b = { c->hw };
	uint32_t key = s->key, state = c->state;
	uint32_t hi = state & PRS_KEY_END, end = key & PRS_KEY_END;
	unsigned top = end > hi ? end : hi;

	/* Private to this CPU, IRQs off: what the MPU holds once this returns. */
	c->state = key;
	prs_mpu_dsb(&b);
	if (copy_ordered(c, key, state) != 0)
		copy_order(c, s->pair, PRS_LO(c), top);
	copy_blind(&b, s->pair, PRS_LO(c), top);
	prs_mpu_isb(&b);
	PRS_STAT_ADD(c, mpu_writes, 2u * (PRS_STEP_UP(top) - c->nstatic));
	PRS_STAT_ADD(c, barriers, 2u);
}

#endif
