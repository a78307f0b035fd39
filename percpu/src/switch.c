/* SPDX-License-Identifier: MIT */
/*
 * The switch and reload entry points (IRQs off, never wait).
 *
 * Reader side of the publication protocol (writer side and the proof:
 * sync/src/publish.c). With w = a handle's word and c this CPU:
 *
 *   w1 = load_sc(h->word)
 *   h == loaded_h && w1 == loaded_w  ->  done (fast path, no MPU access)
 *   store_rel(ann_w, LOWER(w1)); store_sc(ann_h, h)      announce
 *   w2 = load_sc(h->word)                                 the version to copy
 *   store_rel(ann_w, EXACT | w2)                          narrow the pin
 *   copy buf[idx(w2)].set[c->id] into the MPU
 *   store_sc(loaded_h, h); store_sc(loaded_w, w2)
 *   store_rel(ann_h, NULL)                                end of the copy
 *
 * No loop, no read-modify-write, no wait: a fixed instruction count whatever
 * writers do (the slot loop is unrolled). On Armv8 the seq_cst loads and
 * stores are LDA/STL, which are ordered with each other (RCsc), so the
 * store(ann_h) -> load(word) order the protocol needs costs no DMB.
 *
 * Why the fast path needs no fence: the last slow path that set loaded_* did
 * so with seq_cst stores, which precede this CPU's later seq_cst load of the
 * word in the single total order S. A writer publishes (seq_cst store P) and
 * then scans loaded_* (seq_cst loads). If the fast path read a word older
 * than P, its load precedes P in S, so the loaded_* stores precede P and the
 * writer's scan reads them (or values from a later switch of this CPU, whose
 * own word load then follows P): it sees loaded_h == h with a stale word and
 * sends a reload. prs_reload() then re-reads the word after the IPI (which
 * the kernel sends after P) and copies the new version.
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
 * Slots equal to the shadow are not written; an unchanged set costs no
 * barrier. A full change of N regions: 2N writes and 2 barriers, plus one
 * ISB if any region changes gap (no extra write). The host MPU model checks
 * every mix of every batch (tests/sync).
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
#else
#define HOOK(c, p) ((void)0)
#define TEST_FLAG(c, f) 0
#endif

/*
 * Counters have one writer (this CPU): relaxed load + relaxed store, never a
 * read-modify-write (which would be an exclusive pair). Orders nothing.
 */
PRS_INLINE void stat_add(_Atomic uint32_t *s, uint32_t n)
{
	atomic_store_explicit(s, atomic_load_explicit(s, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

struct plan {
	uint32_t chg;   /* slots to write in step 3 */
	uint32_t cross; /* slots that need step 2 */
	uint32_t writes;
};

PRS_INLINE void diff_slot(const struct prs_set *sh, const struct prs_set *s, unsigned n,
			  struct plan *p)
{
	prs_reg_t nb = s->prbar[n], nl = s->prlar[n];

	if (nl & EN) {
		if (nb != sh->prbar[n] || nl != sh->prlar[n])
			p->chg |= 1u << n;
		if (nb != sh->prbar[n] && s->gap[n] != sh->gap[n])
			p->cross |= 1u << n;
	} else if (sh->prlar[n] & EN) {
		p->chg |= 1u << n;
	}
}

/* Step 2 for one slot: the register whose cross pair with the other's old value is empty. */
PRS_INLINE void cross_slot(struct prs_mpu_batch *b, struct prs_set *sh, const struct prs_set *s,
			   unsigned n, struct plan *p, int disable_first)
{
	if (disable_first && (sh->prlar[n] & EN)) {
		/* Test-only: the flawed variant, to show the model rejects it. */
		prs_mpu_prlar(b, n, 0);
		sh->prlar[n] = 0;
		p->writes++;
	}
	if (!disable_first && (sh->prlar[n] & EN) && s->prbar[n] < sh->prbar[n]) {
		/* Moving down: old base + new limit is empty (L1 < B0). */
		prs_mpu_prlar(b, n, s->prlar[n]);
		sh->prlar[n] = s->prlar[n];
	} else {
		/* Moving up (old limit < new base) or slot disabled. */
		prs_mpu_prbar(b, n, s->prbar[n]);
		sh->prbar[n] = s->prbar[n];
		sh->gap[n] = s->gap[n];
	}
	p->writes++;
}

/* Step 3 for one slot. */
PRS_INLINE void write_slot(struct prs_mpu_batch *b, struct prs_set *sh, const struct prs_set *s,
			   unsigned n, struct plan *p, int bar_first)
{
	prs_reg_t nb = s->prbar[n], nl = s->prlar[n];

	if (!(nl & EN)) {
		/* PRBAR keeps its residue (and the shadow its gap). */
		prs_mpu_prlar(b, n, 0);
		sh->prlar[n] = 0;
		p->writes++;
		return;
	}
	if (nb != sh->prbar[n] && (bar_first || nb >= sh->prbar[n])) {
		prs_mpu_prbar(b, n, nb);
		p->writes++;
		if (nl != sh->prlar[n]) {
			prs_mpu_prlar(b, n, nl);
			p->writes++;
		}
	} else {
		if (nl != sh->prlar[n]) {
			prs_mpu_prlar(b, n, nl);
			p->writes++;
		}
		if (nb != sh->prbar[n]) {
			prs_mpu_prbar(b, n, nb);
			p->writes++;
		}
	}
	sh->prbar[n] = nb;
	sh->prlar[n] = nl;
	sh->gap[n] = s->gap[n];
}

#define DIFF(n)                          \
	if (dyn & (1u << (n)))           \
		diff_slot(sh, s, (n), &p);
#define CROSS(n)                          \
	if (p.cross & (1u << (n)))        \
		cross_slot(&b, sh, s, (n), &p, disable_first);
#define WRITE(n)                                     \
	if (p.chg & (1u << (n)))                     \
		write_slot(&b, sh, s, (n), &p, bar_first);

/* Bring this CPU's MPU (and shadow) to set s. */
static void copy_set(struct prs_cpu *c, const struct prs_set *s)
{
	struct prs_set *sh = &c->shadow;
	struct prs_mpu_batch b = { c->hw, 0 };
	struct plan p = { 0, 0, 0 };
	/*
	 * Only slots below the higher of the two sets' ends can differ: above
	 * both, the shadow and the new set are disabled (prs_version_check:
	 * enabled dynamic slots are exactly [nstatic, nstatic + ndyn)).
	 */
	uint32_t hi = (uint32_t)s->nstatic + s->ndyn > c->hi ? (uint32_t)s->nstatic + s->ndyn : c->hi;
	uint32_t dyn = c->dyn_mask & (uint32_t)((1ull << hi) - 1u);
	uint32_t barriers = 2;
	int bar_first = TEST_FLAG(c, PRS_TEST_BAR_FIRST);
	int disable_first = TEST_FLAG(c, PRS_TEST_DISABLE_FIRST);

	PRS_EACH_SLOT(DIFF)
	if (!p.chg)
		return;
	c->hi = (uint8_t)(s->nstatic + s->ndyn);
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

static __attribute__((noinline)) void switch_slow(struct prs_cpu *c, struct prs_handle *h,
						  uint32_t w1)
{
	const struct prs_set *s;
	uint32_t w2;

	/*
	 * LOWER(w1) before ann_h (release): a writer whose acquire load reads
	 * ann_h == h from the store below also reads this or a newer ann_w.
	 */
	atomic_store_explicit(&c->ann_w, w1 & ~PRS_WORD_EXACT, memory_order_release);
	/* seq_cst: ordered before the w2 load below in S (store->load), see publish.c. */
	atomic_store_explicit(&c->ann_h, h, memory_order_seq_cst);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
	HOOK(c, PRS_HOOK_ANNOUNCED);
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* seq_cst: after the ann_h store in S; acquire for the buffer contents. */
	w2 = atomic_load_explicit(&h->word, memory_order_seq_cst);
	/* Release: narrows the pin; LOWER(w1) already covered buffer idx(w2). */
	atomic_store_explicit(&c->ann_w, w2 | PRS_WORD_EXACT, memory_order_release);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
	HOOK(c, PRS_HOOK_READ_W2);
	s = prs_version_set(&h->buf[prs_word_index(w2)], c->id);
	PRS_CACHE_INVAL(s, sizeof(*s));
	copy_set(c, s);
	HOOK(c, PRS_HOOK_COPIED);
	/* seq_cst: precede this CPU's later word loads in S (the fast-path argument). */
	atomic_store_explicit(&c->loaded_h, h, memory_order_seq_cst);
	atomic_store_explicit(&c->loaded_w, w2, memory_order_seq_cst);
	HOOK(c, PRS_HOOK_DONE);
	/* Release: every load from the buffer happens-before a writer that sees this. */
	atomic_store_explicit(&c->ann_h, NULL, memory_order_release);
	PRS_CACHE_CLEAN(&c->ann_h, PRS_CACHE_LINE);
}

void prs_switch(struct prs_cpu *c, struct prs_handle *h)
{
	uint32_t w1;

	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* seq_cst: after this CPU's earlier loaded_* stores in S (see above). */
	w1 = atomic_load_explicit(&h->word, memory_order_seq_cst);
	/* Relaxed: loaded_* are only ever written by this CPU. */
	if (h == atomic_load_explicit(&c->loaded_h, memory_order_relaxed) &&
	    w1 == atomic_load_explicit(&c->loaded_w, memory_order_relaxed)) {
		stat_add(&c->stats.fast, 1);
		return;
	}
	HOOK(c, PRS_HOOK_READ_W1);
	switch_slow(c, h, w1);
	stat_add(&c->stats.slow, 1);
}

void prs_reload(struct prs_cpu *c)
{
	/* Relaxed: written only by this CPU. */
	struct prs_handle *h = atomic_load_explicit(&c->loaded_h, memory_order_relaxed);
	uint32_t w;

	stat_add(&c->stats.reloads, 1);
	if (!h)
		return;
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* seq_cst: the IPI orders this after the writer's publish (kernel contract). */
	w = atomic_load_explicit(&h->word, memory_order_seq_cst);
	if (w == atomic_load_explicit(&c->loaded_w, memory_order_relaxed))
		return;
	switch_slow(c, h, w);
	stat_add(&c->stats.reload_copies, 1);
}
