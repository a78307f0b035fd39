/* SPDX-License-Identifier: MIT */
/*
 * The switch and reload entry points (IRQs off, never wait).
 *
 * Reader side of the publication protocol (writer side and the proof:
 * sync/src/publish.c). With w = a handle's word and c this CPU:
 *
 *   R1 w1 = load_sc(h->word)
 *      h == loaded_h && w1 == loaded_w  ->  done (fast path, no MPU access)
 *   R2 store_rel(ann_w, LOWER(w1)); R3 store_sc(ann_h, h)   announce
 *   R4 w2 = load_sc(h->word)                                 the version to copy
 *   R5 store_rel(ann_w, EXACT | w2)                          narrow the pin
 *   R6 copy buf[idx(w2)].set[c->id] into the MPU
 *   R7 store_rlx(loaded_h, h); store_rel(loaded_w, w2)
 *   R8 store_rel(ann_h, NULL)                                end of the copy
 *
 * No loop, no read-modify-write, no wait: a bounded instruction count
 * whatever writers do (the slot chains are unrolled). R3 is the only
 * seq_cst store: the protocol needs store(ann_h) -> load(word) ordered
 * (R3 before R4, and before the next switch's R1). On Armv8 seq_cst loads
 * and stores are LDA/STL, ordered with each other (RCsc), so that costs no
 * DMB; on x86 it is the one locked store of the slow path.
 *
 * Why the fast path needs no fence (publish.c, Claim 3): the slow path that
 * set loaded_* did R3 (seq_cst) before this CPU's later R1 (seq_cst), so if
 * a fast path's R1 read a word older than a publish P, that R3 precedes P
 * in S, and the writer's scan after P loads ann_h (seq_cst) first: it reads
 * h (the CPU goes in the reload mask) or a later release store to ann_h
 * (R8, or a later switch's R3), program-ordered after R7, so the scan's
 * following loaded_* loads see loaded_h == h with the stale word (mask) or
 * values of a later switch, whose own word load followed P. prs_reload()
 * then re-reads the word after the IPI (which the kernel sends after P) and
 * copies the new version.
 *
 * MPU write order (invariant 6). Assumption, checked at init where it can
 * be (PRS_SYS_CHECK_PLACEMENT): everything the switch touches between the
 * first MPU write and the final ISB -- code, stack, struct prs_cpu, the
 * handle and its buffers -- lies in static regions, which the switch never
 * writes, and (prs_version_check) no dynamic region of any published set
 * overlaps a static region. Until the ISB, each register may hold its old or
 * new value in any mix. Across slots any mix is harmless: each live value is
 * an old or a new region, neither overlaps static memory, so a touched
 * address still hits exactly its static region (two dynamic regions may
 * overlap each other for a moment, but only over memory nothing touches).
 * Within one slot the cross pairs (old PRBAR, new PRLAR) and (new PRBAR, old
 * PRLAR) cover [B0, L1] and [B1, L0]; when the old base (also the residue
 * left in PRBAR by a disabled slot; unknown after init, gap 0xFF) and the
 * new one lie in the same gap between static regions (gap[] equal), both
 * intervals stay inside that gap and cannot reach static memory. When the
 * gaps differ, the two regions are separated by static memory and one of
 * the cross pairs spans it: [B0, L1] if the region moves up, [B1, L0] if it
 * moves down. The other cross pair is then empty (base > limit matches no
 * address), so writing first the register that produces the empty pair and
 * synchronizing it before the second write never exposes the spanning one.
 * (Disabling first -- PRLAR = 0 and the new PRBAR in one batch, as first
 * planned -- is NOT enough: the mix new PRBAR + old enabled PRLAR is allowed
 * before the ISB and spans static memory on a downward move; the model
 * found it. Disable-first needs an ISB between the two writes, costing one
 * more write and one more ISB than this.)
 *   1. DSB: earlier stores complete under the old permissions.
 *   2. Only if some newly enabled slot changes PRBAR across gaps: for each,
 *      PRBAR = new if the region moves up or the slot was disabled (the
 *      pair new PRBAR + old PRLAR is empty or disabled), else PRLAR = new
 *      (old PRBAR + new PRLAR is empty); then ISB.
 *   3. Every changed slot: the registers still differing, PRBAR first if the
 *      new base is not below the old, else PRLAR first (an implementation
 *      that applies them in order then only ever shows a sub-range of one of
 *      the two regions); a slot disabled in the new set gets PRLAR = 0 only.
 *   4. ISB.
 * Slots equal to the shadow are not written. A full change of N regions:
 * 2N writes and 2 barriers, plus one ISB if any region changes gap (no
 * extra write). The host MPU model checks every mix of every batch
 * (tests/sync), including the deliberately wrong orders.
 *
 * The common case skips step 2 and the per-slot gap checks. prs_publish
 * records per set dyn_gap: the one gap all its enabled dynamic regions lie
 * in (else PRS_GAP_MIXED). The CPU keeps the matching summary of its
 * shadow: every slot in [nstatic, gap_hi) holds in PRBAR -- enabled, or as
 * a disabled slot's residue -- a base in gap shadow_gap (image.gap[] says
 * so there too). If dyn_gap == shadow_gap and the new set ends at or below
 * gap_hi, every newly enabled slot's old base (value or residue) and new
 * base lie in the same gap, so no slot changes gap: step 2 is empty and
 * copy_same_gap() does steps 1, 3 and 4 in one pass (DSB first without
 * looking; ISB only if something was written). It writes bases in
 * shadow_gap below gap_hi only, so the summary and image.gap[] stay exact.
 * Otherwise copy_cross_gap() plans with the per-slot gaps and sets the new
 * summary: [nstatic, end) all in dyn_gap (extending gap_hi if dyn_gap is
 * the old summary's gap), none if the set is mixed, unchanged if the set
 * has no dynamic region (it writes no PRBAR).
 */
#include "prsched/percpu.h"
#include "prsched/cache.h"
#include "../../lib/arch/mpu_backend.h" /* relative: lint tools see it too */

#define EN 1u

#if PRS_MPU_HOST
#define HOOK(c, p)                                          \
	do {                                                \
		if ((c)->hook)                              \
			(c)->hook((c), (p), (c)->hook_arg); \
	} while (0)
#define TEST_FLAG(c, f) (((c)->test_flags & (f)) != 0)
#define PRS_TEST_ANY (PRS_TEST_SKIP_CROSS_GAP | PRS_TEST_BAR_FIRST | PRS_TEST_DISABLE_FIRST)
#else
#define HOOK(c, p) ((void)0)
#define TEST_FLAG(c, f) 0
#endif

/*
 * Relaxed loads and stores of words only this CPU writes. On the host they
 * are C11 relaxed atomics (TSan sees them). On Armv8-R an aligned word LDR
 * or STR is single-copy atomic, which is all a relaxed access compiles to,
 * but GCC's patterns for relaxed atomics accept only a bare base register,
 * so each one costs an extra ADD for the field's offset; a volatile access
 * of the same aligned word is the same instruction with the offset folded
 * in. Order nothing either way.
 */
#if PRS_MPU_HOST
PRS_INLINE uint32_t rlx_load_w(_Atomic uint32_t *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

PRS_INLINE void rlx_store_w(_Atomic uint32_t *p, uint32_t v)
{
	atomic_store_explicit(p, v, memory_order_relaxed);
}

PRS_INLINE struct prs_handle *rlx_load_h(_Atomic(struct prs_handle *) *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

PRS_INLINE void rlx_store_h(_Atomic(struct prs_handle *) *p, struct prs_handle *h)
{
	atomic_store_explicit(p, h, memory_order_relaxed);
}
#else
PRS_INLINE uint32_t rlx_load_w(_Atomic uint32_t *p)
{
	return *(volatile uint32_t *)p;
}

PRS_INLINE void rlx_store_w(_Atomic uint32_t *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

PRS_INLINE struct prs_handle *rlx_load_h(_Atomic(struct prs_handle *) *p)
{
	return *(struct prs_handle *volatile *)p;
}

PRS_INLINE void rlx_store_h(_Atomic(struct prs_handle *) *p, struct prs_handle *h)
{
	*(struct prs_handle *volatile *)p = h;
}
#endif

/* Counters have one writer (this CPU): load + store, never a read-modify-write. */
PRS_INLINE void stat_add(_Atomic uint32_t *s, uint32_t n)
{
	rlx_store_w(s, rlx_load_w(s) + n);
}

/* The MPU shadow of one slot: PRBAR, PRLAR (adjacent: one LDRD on AArch32). */
typedef prs_reg_t pair_t[2];

/*
 * Slot n of the new set s and of the shadow sh, and the shadow updated to
 * the new values in the same step (the caller leaves the MPU slot holding
 * them whatever it finds). The old pair is one LDRD on AArch32: GCC neither
 * fuses adjacent 32-bit loads for cortex-r52 nor keeps a 64-bit load whole
 * when only its halves are used, so the asm says it (8-byte aligned, offset
 * n * 8 <= 248 fits LDRD; PRBAR in the low word; the "m" operand tells GCC
 * what it reads). The stores stay two STRs: an STRD needs the new pair in an
 * even/odd register pair, and the copies GCC then adds cost more than it saves.
 */
#if defined(__arm__)
PRS_INLINE void slot_swap(pair_t *sh, const struct prs_set *s, unsigned n, prs_reg_t *nb,
			  prs_reg_t *nl, prs_reg_t *ob, prs_reg_t *ol)
{
	uint64_t ov;

	__asm__("ldrd %Q0, %R0, [%1, %2]" : "=r"(ov) : "r"(sh), "n"(n * sizeof(pair_t)), "m"(sh[n]));
	*ob = (prs_reg_t)ov;
	*ol = (prs_reg_t)(ov >> 32);
	*nb = s->prbar[n];
	*nl = s->prlar[n];
	sh[n][0] = *nb;
	sh[n][1] = *nl;
}
#else
PRS_INLINE void slot_swap(pair_t *sh, const struct prs_set *s, unsigned n, prs_reg_t *nb,
			  prs_reg_t *nl, prs_reg_t *ob, prs_reg_t *ol)
{
	*nb = s->prbar[n];
	*nl = s->prlar[n];
	*ob = sh[n][0];
	*ol = sh[n][1];
	sh[n][0] = *nb;
	sh[n][1] = *nl;
}
#endif

struct plan {
	uint32_t chg;   /* slots to write in step 3 */
	uint32_t cross; /* slots that need step 2 */
	uint32_t writes;
};

PRS_INLINE void diff_slot(pair_t *sh, const uint8_t *gap, const struct prs_set *s,
			  unsigned n, struct plan *p)
{
	prs_reg_t nb = s->prbar[n], nl = s->prlar[n];

	if (nl & EN) {
		if (nb != sh[n][0] || nl != sh[n][1])
			p->chg |= 1u << n;
		if (nb != sh[n][0] && s->gap[n] != gap[n])
			p->cross |= 1u << n;
	} else if (sh[n][1] & EN) {
		p->chg |= 1u << n;
	}
}

/* Step 2 for one slot: the register whose cross pair with the other's old value is empty. */
PRS_INLINE void cross_slot(struct prs_mpu_batch *b, pair_t *sh, uint8_t *gap,
			   const struct prs_set *s, unsigned n, struct plan *p, int disable_first)
{
	if (disable_first && (sh[n][1] & EN)) {
		/* Test-only: the flawed variant, to show the model rejects it. */
		prs_mpu_prlar(b, n, 0);
		sh[n][1] = 0;
		p->writes++;
	}
	if (!disable_first && (sh[n][1] & EN) && s->prbar[n] < sh[n][0]) {
		/* Moving down: old base + new limit is empty (L1 < B0). */
		prs_mpu_prlar(b, n, s->prlar[n]);
		sh[n][1] = s->prlar[n];
	} else {
		/* Moving up (old limit < new base) or slot disabled. */
		prs_mpu_prbar(b, n, s->prbar[n]);
		sh[n][0] = s->prbar[n];
		gap[n] = s->gap[n];
	}
	p->writes++;
}

/* Step 3 for one slot. */
PRS_INLINE void write_slot(struct prs_mpu_batch *b, pair_t *sh, uint8_t *gap,
			   const struct prs_set *s, unsigned n, struct plan *p, int bar_first)
{
	prs_reg_t nb = s->prbar[n], nl = s->prlar[n];

	if (!(nl & EN)) {
		/* PRBAR keeps its residue (and the shadow its gap). */
		prs_mpu_prlar(b, n, 0);
		sh[n][1] = 0;
		p->writes++;
		return;
	}
	if (nb != sh[n][0] && (bar_first || nb >= sh[n][0])) {
		prs_mpu_prbar(b, n, nb);
		p->writes++;
		if (nl != sh[n][1]) {
			prs_mpu_prlar(b, n, nl);
			p->writes++;
		}
	} else {
		if (nl != sh[n][1]) {
			prs_mpu_prlar(b, n, nl);
			p->writes++;
		}
		if (nb != sh[n][0]) {
			prs_mpu_prbar(b, n, nb);
			p->writes++;
		}
	}
	sh[n][0] = nb;
	sh[n][1] = nl;
	gap[n] = s->gap[n];
}

#define DIFF(n)                          \
	if (dyn & (1u << (n)))           \
		diff_slot(sh, gap, s, (n), &p);
#define CROSS(n)                          \
	if (p.cross & (1u << (n)))        \
		cross_slot(&b, sh, gap, s, (n), &p, disable_first);
#define WRITE(n)                                     \
	if (p.chg & (1u << (n)))                     \
		write_slot(&b, sh, gap, s, (n), &p, bar_first);

/*
 * The general case: some slot may change gap (or the shadow's gaps are not
 * summarized). Plan first, then the cross-gap phase if needed, then the rest.
 */
static __attribute__((noinline)) void copy_cross_gap(struct prs_cpu *c, const struct prs_set *s,
						    uint32_t ng, uint32_t end)
{
	pair_t *sh = c->mpu;
	uint8_t *gap = c->image.gap;
	struct prs_mpu_batch b = { c->hw, 0 };
	struct plan p = { 0, 0, 0 };
	uint32_t hi = end > c->hi ? end : c->hi;
	uint32_t dyn = c->dyn_mask & (uint32_t)((1ull << hi) - 1u);
	uint32_t barriers = 2;
	int bar_first = TEST_FLAG(c, PRS_TEST_BAR_FIRST);
	int disable_first = TEST_FLAG(c, PRS_TEST_DISABLE_FIRST);

	/*
	 * The new summary: slots [nstatic, end) will hold the new set's bases,
	 * all in gap ng unless mixed; slots above keep what they held, which is
	 * still in the old summary's gap only if ng is that gap. A set with no
	 * dynamic region writes no PRBAR: the old summary stands.
	 */
	if (s->ndyn) {
		uint32_t sg = (uint32_t)c->gap_key >> 8, gap_hi = c->gap_key & 0xFFu;

		if (ng == PRS_GAP_MIXED) {
			sg = PRS_GAP_MIXED;
			gap_hi = c->nstatic;
		} else if (ng == sg) {
			gap_hi = end > gap_hi ? end : gap_hi;
		} else {
			sg = ng;
			gap_hi = end;
		}
		c->gap_key = (uint16_t)(gap_hi | sg << 8);
	}
	PRS_EACH_SLOT(DIFF)
	c->hi = (uint8_t)end;
	if (!p.chg)
		return;
	if (TEST_FLAG(c, PRS_TEST_SKIP_CROSS_GAP | PRS_TEST_BAR_FIRST))
		p.cross = 0;
	prs_mpu_dsb(&b);
	if (p.cross) {
		PRS_EACH_SLOT(CROSS)
		prs_mpu_phase_end(&b);
		prs_mpu_isb(&b);
		barriers++;
	}
	PRS_EACH_SLOT(WRITE)
	prs_mpu_phase_end(&b);
	prs_mpu_isb(&b);
	stat_add(&c->stats.mpu_writes, p.writes);
	stat_add(&c->stats.barriers, barriers);
}

/*
 * One slot of [nstatic, end) when no slot changes gap: enabled in the new
 * set. Only the registers that differ, the lower-moving one first (see the
 * top of the file). The caller counted 2 writes for the slot: *w drops by
 * the ones not needed, so the common path (both differ) does no counting. A
 * slot at or above the old end is disabled in the shadow (PRLAR 0 != nl).
 * The shadow's gap[] (image.gap[]) is not kept here: it already says
 * shadow_gap for every slot below gap_hi.
 */
PRS_INLINE void enable_slot(struct prs_mpu_batch *b, pair_t *sh, const struct prs_set *s,
			    unsigned n, uint32_t *w)
{
	prs_reg_t nb, nl, ob, ol;

	slot_swap(sh, s, n, &nb, &nl, &ob, &ol);
	if (nl == ol) {
		*w -= 1;
		if (nb == ob)
			*w -= 1;
		else
			prs_mpu_prbar(b, n, nb);
	} else if (nb == ob) {
		*w -= 1;
		prs_mpu_prlar(b, n, nl);
	} else if (nb > ob) {
		prs_mpu_prbar(b, n, nb);
		prs_mpu_prlar(b, n, nl);
	} else {
		prs_mpu_prlar(b, n, nl);
		prs_mpu_prbar(b, n, nb);
	}
}

/*
 * One slot of [end, old end): enabled in the shadow (enabled dynamic slots
 * are contiguous after the first switch), disabled in the new set. PRLAR = 0
 * only; PRBAR keeps its residue, inside the summary gap.
 */
PRS_INLINE void disable_slot(struct prs_mpu_batch *b, pair_t *sh, unsigned n, uint32_t *w)
{
	/* Already disabled only if the image prs_cpu_init took had holes. */
	if (!sh[n][1])
		return;
	prs_mpu_prlar(b, n, 0);
	sh[n][1] = 0;
	*w += 1;
}

/*
 * The common case: every new region lies in the shadow's summary gap and
 * below gap_hi, so no slot changes gap. One pass: [nstatic, end) compared
 * and written, then [end, old end) disabled. The target build is unrolled
 * (register numbers are immediates): it enters the chain through a switch
 * on nstatic (a compare tree, no jump table: -fno-jump-tables) and leaves
 * each part at its bound; the host runs the same steps in loops. The write
 * count starts at 2 per enabled slot and only the rarer paths (a register
 * unchanged, a slot disabled) correct it.
 */
PRS_INLINE void copy_same_gap(struct prs_cpu *c, const struct prs_set *s, uint32_t end)
{
	pair_t *sh = c->mpu;
	struct prs_mpu_batch b = { c->hw, 0 };
	uint32_t old_end = c->hi, lo = c->nstatic;
	uint32_t w = 2u * (end - lo);

	c->hi = (uint8_t)end;
#if !PRS_MPU_HOST
	/* Keep s in one register: inlined, GCC recomputes it from h and w2 per slot. */
	__asm__("" : "+r"(s));
#endif
	/* Unconditional: an unchanged set through another handle is rare; no ISB then. */
	prs_mpu_dsb(&b);
#if PRS_MPU_HOST
	for (unsigned n = lo; n < end; n++)
		enable_slot(&b, sh, s, n, &w);
	for (unsigned n = end; n < old_end; n++)
		disable_slot(&b, sh, n, &w);
#else
#define ENTER(n)     \
	case n:      \
		goto en_##n;
#define ENABLE(n)                                \
	en_##n : if ((n) >= end) goto dis_##n;   \
	enable_slot(&b, sh, s, (n), &w);
#define DISABLE(n)                          \
	dis_##n : if ((n) >= old_end) goto done; \
	disable_slot(&b, sh, (n), &w);
	switch (lo) {
		PRS_EACH_SLOT(ENTER)
	default:
		goto done; /* nstatic == PRS_MAX_REGIONS: no dynamic slot */
	}
	PRS_EACH_SLOT(ENABLE)
	goto done;
	PRS_EACH_SLOT(DISABLE)
#undef ENTER
#undef ENABLE
#undef DISABLE
done:
#endif
	if (w) {
		prs_mpu_phase_end(&b);
		prs_mpu_isb(&b);
	}
	stat_add(&c->stats.mpu_writes, w);
	stat_add(&c->stats.barriers, w ? 2u : 1u);
}

/* Bring this CPU's MPU (and shadow) to set s, whose dyn_key is key. */
static void copy_set(struct prs_cpu *c, const struct prs_set *s, uint32_t key)
{
	/*
	 * Only slots below the higher of the two sets' ends can differ: above
	 * both, the shadow and the new set are disabled (prs_version_check:
	 * enabled dynamic slots are exactly [nstatic, nstatic + ndyn)).
	 */
	uint32_t end = key & 0xFFu;

	/*
	 * dyn_gap == shadow_gap && end <= gap_hi in one compare: the keys'
	 * difference is gap_hi - end (in [-32, 32]) plus 256 times the gaps'
	 * difference, so it lies in [0, 64) exactly when the gaps are equal and
	 * end <= gap_hi.
	 */
	if ((uint32_t)c->gap_key - key < 64u && !TEST_FLAG(c, PRS_TEST_ANY))
		copy_same_gap(c, s, end);
	else
		copy_cross_gap(c, s, key >> 8, end);
}

/* The copy of a changed version; `count` is the caller's counter (slow or reload_copies). */
static __attribute__((noinline)) void switch_slow(struct prs_cpu *c, struct prs_handle *h,
						  uint32_t w1, _Atomic uint32_t *count)
{
	const struct prs_version_cpu *e;
	uint32_t w2;

	/*
	 * R2. LOWER(w1) before ann_h (release): a writer whose acquire load
	 * reads ann_h == h from the store below also reads this or a newer ann_w.
	 */
	_Atomic uint32_t *ann_w = &c->ann_w;

#if !PRS_MPU_HOST
	/* One ADD for both STLs (no offset form): GCC computes &c->ann_w twice. */
	__asm__("" : "+r"(ann_w));
#endif
	atomic_store_explicit(ann_w, w1 & ~PRS_WORD_EXACT, memory_order_release);
	/*
	 * R3, the only seq_cst store: ordered before the w2 load below in S
	 * (store->load), and the release every writer scan synchronizes with
	 * when it sees this announce (Claims 1 and 3 in publish.c).
	 */
	atomic_store_explicit(&c->ann_h, h, memory_order_seq_cst);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
	HOOK(c, PRS_HOOK_ANNOUNCED);
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* R4. seq_cst: after the ann_h store in S; acquire for the buffer contents. */
	w2 = atomic_load_explicit(&h->word, memory_order_seq_cst);
	/* R5. Release: narrows the pin; LOWER(w1) already covered buffer idx(w2). */
	atomic_store_explicit(ann_w, w2 | PRS_WORD_EXACT, memory_order_release);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
	HOOK(c, PRS_HOOK_READ_W2);
	e = &h->buf[prs_word_index(w2)].cpu[c->id];
#if !PRS_MPU_HOST
	/* One pointer for the set and its key: GCC builds two, the key's out of LDRH range. */
	__asm__("" : "+r"(e));
#endif
	PRS_CACHE_INVAL(e, sizeof(*e));
	copy_set(c, &e->set, e->dyn_key);
	HOOK(c, PRS_HOOK_COPIED);
	/*
	 * R7. Not seq_cst: writers read loaded_* only after a seq_cst load of
	 * ann_h that returned this switch's R3 or a later release store to
	 * ann_h (R8 below, or a later switch's R3), each program-ordered after
	 * these stores (publish.c, Claim 3). loaded_h relaxed; loaded_w release
	 * so that a ticket poll that reads it (acquire) also sees the copy done
	 * (publish.c, Claim 4). This CPU reads its own values.
	 */
	rlx_store_h(&c->loaded_h, h);
	atomic_store_explicit(&c->loaded_w, w2, memory_order_release);
	HOOK(c, PRS_HOOK_DONE);
	/*
	 * R8. Release: every load from the buffer and the loaded_* stores
	 * happen-before a writer that sees this.
	 */
	atomic_store_explicit(&c->ann_h, NULL, memory_order_release);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
	stat_add(count, 1);
}

void prs_switch(struct prs_cpu *c, struct prs_handle *h)
{
	uint32_t w1;

	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* R1. seq_cst: after this CPU's last R3 in S (the fast-path argument above). */
	w1 = atomic_load_explicit(&h->word, memory_order_seq_cst);
	/* Relaxed: loaded_* are only ever written by this CPU. */
	if (h == rlx_load_h(&c->loaded_h) && w1 == rlx_load_w(&c->loaded_w)) {
		stat_add(&c->stats.fast, 1);
		return;
	}
	HOOK(c, PRS_HOOK_READ_W1);
	switch_slow(c, h, w1, &c->stats.slow);
}

void prs_reload(struct prs_cpu *c)
{
	/* Relaxed: written only by this CPU. */
	struct prs_handle *h = rlx_load_h(&c->loaded_h);
	uint32_t w;

	stat_add(&c->stats.reloads, 1);
	if (!h)
		return;
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* seq_cst: the IPI orders this after the writer's publish (kernel contract). */
	w = atomic_load_explicit(&h->word, memory_order_seq_cst);
	if (w == rlx_load_w(&c->loaded_w))
		return;
	switch_slow(c, h, w, &c->stats.reload_copies);
}
