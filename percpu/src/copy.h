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

/*
 * The blind pass over [lo, top): unrolled, so every register number is an
 * immediate; entered at lo through a switch (a compare tree: the file is
 * built with -fno-jump-tables) and left at the first slot n >= top that is
 * a multiple of PRS_COPY_STEP. Checking every STEP slots instead of every
 * slot saves STEP - 1 compare-and-branch pairs per STEP slots; the slots
 * written past top (at most STEP - 1, below nslots because prs_cpu_init
 * requires nslots % PRS_COPY_STEP == 0) are disabled already and get the
 * same (residue, 0) again.
 */
/* Where the dynamic slots start: a constant when the build fixes it (config.h). */
#if defined(PRS_NSTATIC)
#define PRS_LO(c) ((unsigned)PRS_NSTATIC)
#else
#define PRS_LO(c) ((unsigned)(c)->nstatic)
#endif

#define PRS_STEP_UP(n) (((n) + PRS_COPY_STEP - 1u) / PRS_COPY_STEP * PRS_COPY_STEP)
PRS_INLINE void copy_blind(struct prs_mpu_batch *b, const prs_reg_t (*p)[2], unsigned lo,
			   unsigned top)
{
#define BLIND_ENTER(n) \
	case n:        \
		goto blind_##n;
#define BLIND_SLOT(n)                                                \
	blind_##n : if ((n) % PRS_COPY_STEP == 0 && (n) >= top) goto blind_end; \
	prs_mpu_pair(b, (n), *p++);
	switch (lo) {
		PRS_EACH_SLOT(BLIND_ENTER)
	default:
		goto blind_end;
	}
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	PRS_EACH_SLOT(BLIND_SLOT)
blind_end:
	prs_mpu_phase_end(b);
#undef BLIND_ENTER
#undef BLIND_SLOT
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

/* The ordered phase over [lo, top), then the ISB that commits it. Rare. */
static __attribute__((noinline)) void copy_order(struct prs_cpu *c, const prs_reg_t (*p)[2],
						 unsigned top)
{
	struct prs_mpu_batch b = { c->hw, 0 };
	unsigned lo = PRS_LO(c), flags = 0;

#if PRS_TESTING
	flags = prs_test_cpu[c->rd.id].flags;
#endif
#define ORDER_ENTER(n) \
	case n:        \
		goto order_##n;
#define ORDER_SLOT(n)                          \
	order_##n : if ((n) >= top) goto order_end; \
	order_slot(&b, (n), *p++, flags);
	switch (lo) {
		PRS_EACH_SLOT(ORDER_ENTER)
	default:
		goto order_end;
	}
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	PRS_EACH_SLOT(ORDER_SLOT)
order_end:
	prs_mpu_phase_end(&b);
	prs_mpu_isb(&b);
	PRS_STAT_ADD(c, mpu_writes, top - lo);
	PRS_STAT_ADD(c, barriers, 1u);
#undef ORDER_ENTER
#undef ORDER_SLOT
}

/* R6: this CPU's MPU := class set s. */
PRS_INLINE void prs_copy(struct prs_cpu *c, const struct prs_vset *s)
{
	struct prs_mpu_batch b = { c->hw, 0 };
	uint32_t key = s->key, state = c->state;
	uint32_t hi = state & PRS_KEY_END, end = key & PRS_KEY_END;
	unsigned top = end > hi ? end : hi;

	/* Private to this CPU, IRQs off: what the MPU holds once this returns. */
	c->state = key;
	prs_mpu_dsb(&b);
	if (((key | state) & PRS_KEY_AWAY) && !PRS_TEST_FLAG(c->rd.id, PRS_TEST_ALWAYS_BLIND))
		copy_order(c, s->pair, top);
	copy_blind(&b, s->pair, PRS_LO(c), top);
	prs_mpu_isb(&b);
	PRS_STAT_ADD(c, mpu_writes, 2u * (PRS_STEP_UP(top) - c->nstatic));
	PRS_STAT_ADD(c, barriers, 2u);
}

#endif
