/* SPDX-License-Identifier: MIT */
/*
 * The MPU fault path: oversized sets, loaded on demand like a
 * software-managed TLB. The switch loads an oversized set's first
 * nslots - nstatic regions (the hottest: prsched/build.h); when the thread
 * touches one of the others, the kernel's abort handler calls prs_fault(),
 * which finds the region in the thread's published set and writes it over
 * one resident region, or reports a real fault.
 *
 * Protocol. prs_fault is a reader, exactly as prs_switch: R1-R5 (announce
 * the handle, read the word again, pin that version; sync/src/reader.h),
 * look the address up in the pinned version, write, R7-R8 (record the
 * version as loaded, end the announce). It never waits, and its MPU writes
 * come only from the version it pinned and records. If that version is not
 * the one this CPU's MPU holds (the thread was republished since its last
 * switch and the reload IPI is still pending behind the masked IRQs), the
 * whole set is copied first (prs_copy, as a switch would), so the MPU never
 * mixes two versions.
 *
 * Revocation (the fault path must see the new version, or the revoke must
 * wait for it; it is the second). After a writer publishes P, a version
 * without some region, its scan (publish.c, Claims 1 and 3) puts this CPU
 * in the reload mask if the CPU announces h with an older word or has
 * loaded_h == h with one: both hold for a fault path that pinned a version
 * older than P, whether its scan load comes during the announce or after
 * R7. A fault path whose R3 follows the scan's ann_h load in S reads P or
 * later at R4 (store->load order of R3 before R4, the word stored before
 * the scan). A CPU holds regions only of the handle its loaded_h names:
 * each one comes from a version it pinned, which the pool cannot give to
 * another handle while it is read (Claim 1; unpinned, a CPU running h'
 * could bring in a region of h that no scan of h sees). So every CPU that
 * can hold a region of a version of h older than P -- loaded by a switch
 * or brought in here -- is in the ticket, and the ticket completes only
 * when its loaded_w reaches P: after prs_reload, a switch or this path
 * copied P or later. This path records w2 (R7) only after copying all of
 * it when the CPU did not hold (h, w2): recording a version the MPU holds
 * only in part would let the ticket return with regions of the old one
 * resident. That copy rewrites every slot below the CPU's hi, which covers
 * every slot a fault-in may write (victims lie below the resident end of
 * the loaded set, and hi >= that end), so no region of the old version
 * survives it. After the revoke's ticket completes, a fault on any CPU
 * pins P or later and cannot bring the revoked range back. The Promela
 * model (tests/model/publish.pml, NFAULT) checks this; its fault paths
 * that read a version unpinned (BROKEN_FAULT_UNPINNED, _NO_ANN) or record
 * one they did not copy whole (_NO_COPY) fail its revoke check.
 *
 * Write order (invariant 6). The victim slot goes from one region of the
 * pinned version to another (both dynamic, neither over static memory, and
 * neither overlapping the other resident regions: they are one version's,
 * checked disjoint). Its cross pairs are those of a switch's copy for one
 * slot, so copy.h's argument holds unchanged: blind (both registers, after
 * a DSB, then ISB) when the version has no region outside the home gap;
 * else the ordered phase for that slot, ISB, then the blind write. The
 * CPU's state stays valid: the slot is below hi, and the version's key, which
 * the state is, has AWAY if any region of the set (resident or not) lies
 * outside the home gap.
 *
 * Replacement: round robin over the dynamic slots. Consecutive fault-ins
 * hit distinct slots, so the last nslots - nstatic regions brought in stay
 * resident: one instruction that needs k <= PRS_FAULT_MIN_SLOTS regions
 * (code, and data that may straddle two) faults at most k times and then
 * runs. Cost: bounded by the set's size (the look-up is linear) plus one
 * read-back per dynamic slot.
 */
#include "prsched/percpu.h"
#include "prsched/region.h"
#include "copy.h"
#include "../../lib/src/span.h"
#include "../../sync/src/reader.h"

/*
 * The dynamic slot in [lo, total) whose region covers addr, or total. The
 * regions are one version's, checked (limit >= base), so one unsigned
 * compare per pair tests base <= addr <= limit. Linear: the bench's
 * fault rows give the cost per entry walked.
 */
static unsigned fault_find(const struct prs_cpu *c, const struct prs_vset *s, unsigned lo,
			   unsigned total, uint64_t addr)
{
	prs_reg_t mask = (prs_reg_t)prs_span_mask((enum prs_arch)c->arch);
	prs_reg_t a = (prs_reg_t)addr;

	if ((uint64_t)a != addr)
		return total; /* beyond what this build's registers can name */
	for (unsigned i = lo; i < total; i++) {
		prs_reg_t base = s->pair[i - lo][0] & mask;
		prs_reg_t limit = (s->pair[i - lo][1] & mask) | (prs_reg_t)PRS_GRAN_MASK;

		if ((a - base) <= (limit - base))
			return i;
	}
	return total;
}

/*
 * Whether a slot of [lo, end) holds PRBAR value bar. The regions of one
 * version are disjoint, so their bases differ: a PRBAR equal to bar is that
 * region. Every slot below end is enabled (the set is oversized).
 */
static __attribute__((noinline)) unsigned fault_resident(struct prs_cpu *c, prs_reg_t bar,
							 unsigned end)
{
	struct prs_mpu_batch batch = { c->hw };
	struct prs_mpu_batch *b = &batch;
	unsigned top = end;
	unsigned hit = 0;

#define CHAIN_CHECK(n) 1
#define SLOT_ACTION(n)                          \
	if (prs_mpu_rd_prbar(b, (n)) == bar) {  \
		hit = 1u;                       \
	}
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	CHAIN_WALK(PRS_LO(c))
#undef SLOT_ACTION
#undef CHAIN_CHECK
	return hit;
}

/* Both registers of slot v. */
static __attribute__((noinline)) void fault_pair(struct prs_cpu *c, unsigned v,
						 const prs_reg_t *p)
{
	struct prs_mpu_batch batch = { c->hw };
	struct prs_mpu_batch *b = &batch;
	unsigned top = v + 1u;

#define CHAIN_CHECK(n) 1
#define SLOT_ACTION(n) prs_mpu_pair(b, (n), p)
	/* cppcheck-suppress unsignedLessThanZero ; slot 0's "0 >= top" is the generic test */
	CHAIN_WALK(v)
#undef SLOT_ACTION
#undef CHAIN_CHECK
	return;
}

/*
 * Region i of s into the next victim slot of [lo, end), in copy.h's order
 * for one slot. This CPU's state is s's key (it holds s), so the rule
 * reduces to s having a region outside the home gap.
 */
static void fault_load(struct prs_cpu *c, const struct prs_vset *s, unsigned lo, unsigned end,
		       unsigned i)
{
	struct prs_mpu_batch b = { c->hw };
	unsigned v = ((c->victim >= lo) && (c->victim < end)) ? c->victim : lo;
	const prs_reg_t (*p)[2] = &s->pair[i - lo];

	c->victim = (uint8_t)(v + 1u);
	prs_mpu_dsb(&b);
	if (copy_ordered(c, s->key, c->state) != 0)
		copy_order(c, p, v, v + 1u);
	fault_pair(c, v, *p);
	prs_mpu_isb(&b);
	PRS_STAT_ADD(c, fault_ins, 1u);
	PRS_STAT_ADD(c, mpu_writes, 2u);
	PRS_STAT_ADD(c, barriers, 2u);
}

/* After the pin: the MPU holds (part of) s; serve the fault at addr. */
static int fault_serve(struct prs_cpu *c, const struct prs_vset *s, uint64_t addr,
		       unsigned access, unsigned copied)
{
	unsigned lo = PRS_LO(c);
	unsigned end = s->key & PRS_KEY_END;
	unsigned total = (s->key >> PRS_KEY_TOTAL_SHIFT) & PRS_KEY_END;
	unsigned i = fault_find(c, s, lo, total, addr);

	if ((i >= total) ||
	    ((prs_reg_perm((enum prs_arch)c->arch, s->pair[i - lo][0]) & access) != access))
		return PRS_FAULT_REAL; /* not granted by the set: the kernel's fault */
	if ((copied != 0u) && (i < end))
		return PRS_FAULT_RETRY; /* the copy just loaded it */
	if ((copied == 0u) && (fault_resident(c, s->pair[i - lo][0], end) != 0u))
		return PRS_FAULT_REAL; /* resident and granting: not an MPU miss */
	fault_load(c, s, lo, end, i);
	return PRS_FAULT_RETRY;
}

int prs_fault(struct prs_cpu *c, struct prs_handle *h, uint64_t addr, unsigned access)
{
	uint32_t w = prs_read_pin(&c->rd, h, prs_read_word(h));
	const struct prs_vset *s = prs_read_set(&c->rd, w);
	unsigned copied = 0;
	int res;

	PRS_STAT_ADD(c, faults, 1u);
	if (prs_read_holds(&c->rd, h, w) == 0) {
		prs_copy(c, s);
		copied = 1u;
	}
	res = fault_serve(c, s, addr, access, copied);
	prs_read_done(&c->rd, h, w);
	return res;
}
