/* SPDX-License-Identifier: MIT */
/*
 * Writer side of the publication protocol: buffer reclamation, publish,
 * reload requests. The reader side is percpu/src/switch.c.
 *
 * Notation: S is the single total order of all seq_cst operations. Readers
 * (CPU k switching to h) do
 *     R1 w1 = load_sc(word)
 *     R2 store_rel(ann_w, LOWER(w1));  R3 store_sc(ann_h, h)
 *     R4 w2 = load_sc(word);           R5 store_rel(ann_w, EXACT|w2)
 *     R6 copy buf[idx(w2)]
 *     R7 store_rlx(loaded_h, h); store_rel(loaded_w, w2);  R8 store_rel(ann_h, NULL)
 * and a fast path is R1 alone (plus this CPU's own loaded_*, relaxed). R3
 * is the reader's only seq_cst store. Every writer-side reader of another
 * CPU's loaded_* (reload_mask, ticket.c) loads ann_h (seq_cst) FIRST.
 * A writer (holding h's lock) publishes with P = store_sc(word), and before
 * rewriting a non-current buffer b scans every CPU: load_sc(ann_h), then if
 * it is h, load_acq(ann_w). b is pinned by k iff ann_w is EXACT naming b, or
 * LOWER(e) with epoch_of[b] not older than e.
 *
 * Claim 1 (invariant 4: no buffer is rewritten while a CPU may copy it).
 * Let k copy b at R6, so R4 read a word naming b, published by some P_b.
 * The writer rewrites b only after a later publish P' made b non-current
 * and then a scan Q found b unpinned. R4 read a value mo-before P', so R4
 * precedes P' in S; R3 precedes R4 (program order, both seq_cst); P'
 * precedes Q (program order). So R3 precedes Q's ann_h load in S, and that
 * load returns R3's h or a later store to ann_h:
 *   - h from R3: it synchronizes with R3 (release), so R2 happens-before the
 *     ann_w load, which returns LOWER(w1) or a later value. LOWER(w1) pins b
 *     because w1 was read before w2, so epoch(w1) <= epoch(w2) = epoch_of[b]
 *     (b is not rewritten in between: that is what we are proving, by
 *     induction over rewrites). EXACT|w2 names b. A later value is a release
 *     store program-ordered after R8, so R6 happens-before the rewrite.
 *   - a later store (R8's NULL, or a later switch's R3): release after R6,
 *     read by an acquire load, so R6 happens-before the rewrite.
 * Either way the rewrite cannot overlap the copy, and the copy saw exactly
 * the version P_b published (its writes happen-before R4 through P_b):
 * invariant 3 (no torn set).
 *
 * Claim 2 (pool bound: PRS_MAX_CPUS + 2 buffers suffice, a writer never
 * waits on a reader that is not between R3 and R5). Not free are: the
 * current buffer, and per CPU k announcing h either one buffer (EXACT) or
 * the non-current buffers with epoch >= e (LOWER(e)). A non-current buffer
 * with epoch >= e exists only if a publish happened after the one k read at
 * R1; two such buffers only if two publishes completed while k is between
 * R1 and R5 (it is then between R3 and R5, or the scan would not see its
 * ann_h). So if no CPU has seen two publishes inside its R1..R5 window,
 * each CPU pins at most one non-current buffer and 1 + CPUS buffers are
 * busy: one of the CPUS + 2 is free. Otherwise begin() re-scans until that
 * CPU executes R5 -- a few instructions with IRQs off, bounded by the
 * reader's own progress and never by a lock -- and counts the wait in
 * h->pin_waits. The same argument bounds how far a LOWER(e) pin can lag the
 * current epoch: while k sits in its window, at most CPUS + 1 publishes can
 * complete before the writer has no buffer left and waits. So epoch
 * comparisons (serial arithmetic modulo 2^27) never span more than a few
 * publishes, and w2 == w1 after a wrap of 2^27 publishes (ABA) cannot happen
 * inside one window: the writer stalls long before.
 *
 * Claim 3 (reload: after P, every CPU that may run h with a version older
 * than nw is in the reload mask). For a CPU k, call an event's deciding
 * load R4 for a slow path and R1 for a fast path or a reload that copies
 * nothing. Let X be k's last event whose deciding load precedes P in S;
 * every later event's deciding load follows P (S agrees with program
 * order), so it reads nw or a newer word: only X can leave k running h at
 * an older version. Let Y be X if X is a slow path, else the slow path
 * that set the loaded_* X compared against (its own, latest, values); if X
 * runs h, Y is a slow path to h with the old word w_Y. Y.R3 precedes X's
 * deciding load in S (same CPU, both seq_cst, program order), hence P,
 * hence the scan's load A of ann_h. A seq_cst load reads the last seq_cst
 * store before it in S, or a later store that is not seq_cst: A cannot
 * return anything k stored before Y.R3. So A returns
 *   - h (Y.R3, or a later announce of h): k is in the mask; or
 *   - another later store (Y.R8, a later event's R3 or R8): each a release
 *     program-ordered after Y.R7 and A is an acquire, so Y.R7
 *     happens-before the scan's loaded_* loads, which read Y's values or
 *     later ones (coherence). Y's pair (h, w_Y != nw) puts k in the mask.
 *     Every later value was stored by an event after X (between Y and X
 *     there are only fast paths, which store nothing), i.e. one whose
 *     deciding load followed P: k has moved past X. Reading loaded_h and
 *     loaded_w separately may pair Y's value of one with a later value of
 *     the other: (later h, w_Y) only adds a spurious reload; (h of Y, a
 *     later w) -- even one numerically equal to nw, from another handle --
 *     means k has moved past X. Either way no stale run is missed.
 * No fence on the fast path, and no seq_cst at R7: the loads after A
 * acquire what they need through ann_h. (The Promela model, tests/model,
 * interleaves these steps sequentially consistently; this paragraph is
 * the C11 side.)
 *
 * Claim 4 (tickets, ticket.c: done is permanent and happens-after the
 * copy). cpu_done loads, after the ticket's publish P in S (the poller is
 * the committer or happens-after it): A = ann_h (seq_cst), then ann_w
 * (acquire) if A == h, then loaded_h, loaded_w (seq_cst, so acquire). As
 * in Claim 3, A returns Y.R3 or a later release store to ann_h.
 *   - A == h from Y.R3: ann_w is Y's LOWER/EXACT of an older epoch (not
 *     done) or a later release store of an event after X, which
 *     synchronizes and makes Y.R7 visible to the loaded_* loads.
 *   - A later: Y.R7 is visible to the loaded_* loads, as in Claim 3.
 * So the loaded check sees Y's (h, old epoch) -- not done -- or state of
 * an event after X: done then holds for good, since later events only use
 * P's version or newer. When k was running h, the value that lets the
 * check pass is loaded_h != h (k left h) or loaded_w at the ticket's epoch
 * or newer: a release (R7) program-ordered after that event's copy R6, read
 * by an acquire, so the copy happens-before the poll's PRS_OK (the host
 * tests check the MPU right after prs_ticket_wait under TSan). That is why
 * loaded_w is a release store and loaded_h may be relaxed.
 */
#if !defined(__arm__) && !defined(__aarch64__)
#define _POSIX_C_SOURCE 200809L
#include <sched.h>
#endif
#include <stddef.h>
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "seal.h"

#define POOL_MASK ((uint32_t)((1ull << PRS_POOL) - 1u))

void prs_relax(void)
{
#if defined(__arm__) || defined(__aarch64__)
	__asm__ volatile("yield");
#else
	(void)sched_yield();
#endif
}

static void writer_lock(struct prs_handle *h)
{
	uint32_t unlocked = 0;

	/* Acquire: the previous writer's buffer and epoch updates happen-before ours. */
	while (!atomic_compare_exchange_weak_explicit(&h->lock, &unlocked, 1u, memory_order_acquire,
						      memory_order_relaxed)) {
		unlocked = 0;
		prs_relax();
	}
}

static void writer_unlock(struct prs_handle *h)
{
	h->building = PRS_POOL;
	/* Release: pairs with the next writer's acquire in writer_lock. */
	atomic_store_explicit(&h->lock, 0u, memory_order_release);
}

/* Single-writer counter (we hold the lock): load + store, orders nothing. */
static void stat_inc(_Atomic uint32_t *s)
{
	atomic_store_explicit(s, atomic_load_explicit(s, memory_order_relaxed) + 1u,
			      memory_order_relaxed);
}

/* Buffers some CPU may be copying from, or may still start copying (Claim 1). */
static uint32_t pinned(const struct prs_handle *h)
{
	const struct prs_system *sys = h->sys;
	uint32_t pins = 0;

	for (unsigned k = 0; k < sys->cfg.ncpus; k++) {
		struct prs_cpu *c = sys->cpu[k];
		uint32_t aw;

		PRS_CACHE_INVAL(&c->ann_h, PRS_CACHE_LINE);
		/* seq_cst: after our last publish in S; acquire: ends of copies (R8). */
		if (atomic_load_explicit(&c->ann_h, memory_order_seq_cst) != h)
			continue;
		/* Acquire: pairs with the reader's release stores R2/R5 (and R3). */
		aw = atomic_load_explicit(&c->ann_w, memory_order_acquire);
		if (aw & PRS_WORD_EXACT) {
			pins |= 1u << prs_word_index(aw);
			continue;
		}
		for (unsigned b = 0; b < PRS_POOL; b++)
			if ((h->published & (1u << b)) &&
			    !prs_epoch_before(h->epoch_of[b], prs_word_epoch(aw)))
				pins |= 1u << b;
	}
	return pins;
}

struct prs_version *prs_publish_begin(struct prs_handle *h)
{
	if (!h)
		return NULL;
	writer_lock(h);
	for (;;) {
		/* Relaxed: only writers store the word, and we hold the lock. */
		uint32_t cur = prs_word_index(atomic_load_explicit(&h->word, memory_order_relaxed));
		uint32_t avail = ~(pinned(h) | (1u << cur)) & POOL_MASK;

		for (uint32_t b = 0; b < PRS_POOL; b++) {
			if (avail & (1u << b)) {
				h->building = b;
				return &h->buf[b];
			}
		}
		/* Claim 2: some CPU saw two publishes inside its R1..R5 window. */
		stat_inc(&h->pin_waits);
		prs_relax();
	}
}

const struct prs_version *prs_publish_current(const struct prs_handle *h)
{
	/* Relaxed: called under the writer lock, the only context storing the word. */
	return &h->buf[prs_word_index(atomic_load_explicit(&h->word, memory_order_relaxed))];
}

/* The gap all enabled dynamic regions of s lie in (prs_version_check verified each gap[]). */
static uint8_t dyn_gap(const struct prs_set *s)
{
	unsigned lo = s->nstatic, hi = lo + s->ndyn;

	if (s->ndyn == 0 || hi > PRS_MAX_REGIONS)
		return PRS_GAP_MIXED;
	for (unsigned i = lo + 1; i < hi; i++)
		if (s->gap[i] != s->gap[lo])
			return PRS_GAP_MIXED;
	return s->gap[lo];
}

void prs_version_seal(const struct prs_system *sys, struct prs_version *v)
{
	for (unsigned k = 0; k < sys->cfg.ncpus; k++)
		v->cpu[k].dyn_key = (uint16_t)((v->cpu[k].set.nstatic + v->cpu[k].set.ndyn) |
					       dyn_gap(&v->cpu[k].set) << 8);
}

/* Claim 3: CPUs that may run h with a version older than nw. */
static uint32_t reload_mask(const struct prs_handle *h, uint32_t nw)
{
	const struct prs_system *sys = h->sys;
	uint32_t mask = 0;

	for (unsigned k = 0; k < sys->cfg.ncpus; k++) {
		struct prs_cpu *c = sys->cpu[k];

		PRS_CACHE_INVAL(&c->ann_h, PRS_CACHE_LINE);
		/*
		 * seq_cst, in this order: after P in S; ann_h first, and an
		 * acquire, so that the loaded_* loads below see at least the
		 * state of the switch whose announce it saw end (Claim 3).
		 */
		if (atomic_load_explicit(&c->ann_h, memory_order_seq_cst) == h) {
			mask |= 1u << k;
			continue;
		}
		if (atomic_load_explicit(&c->loaded_h, memory_order_seq_cst) == h &&
		    atomic_load_explicit(&c->loaded_w, memory_order_seq_cst) != nw)
			mask |= 1u << k;
	}
	return mask;
}

int prs_publish_commit(struct prs_handle *h, struct prs_version *v, struct prs_ticket *t)
{
	uint32_t b, e, nw, mask;
	int err;

	if (!h || !v)
		return PRS_E_NULL;
	b = h->building;
	if (b >= PRS_POOL)
		return PRS_E_ARG; /* no begin: we do not hold the lock */
	if (v != &h->buf[b]) {
		writer_unlock(h);
		return PRS_E_ARG;
	}
	err = prs_version_check(h->sys, v);
	if (err != PRS_OK) {
		writer_unlock(h);
		return err;
	}
	/* Relaxed: only writers store the word, and we hold the lock. */
	e = (prs_word_epoch(atomic_load_explicit(&h->word, memory_order_relaxed)) + 1u) &
	    PRS_EPOCH_MASK;
	h->epoch_of[b] = e;
	h->published |= 1u << b;
	nw = prs_word_make(e, b);
	prs_version_seal(h->sys, v);
	PRS_CACHE_CLEAN(v, sizeof(*v));
	/*
	 * seq_cst (P): release for the buffer contents (readers' R4 acquire);
	 * precedes the scans below and in later begins in S (Claims 1 and 3).
	 */
	atomic_store_explicit(&h->word, nw, memory_order_seq_cst);
	PRS_CACHE_CLEAN(&h->word, sizeof(h->word));
	mask = reload_mask(h, nw);
	stat_inc(&h->publishes);
	writer_unlock(h);
	if (t) {
		t->h = h;
		t->epoch = e;
		t->mask = mask;
	}
	if (mask && h->sys->cfg.reload)
		h->sys->cfg.reload(h->sys->cfg.ctx, mask);
	return PRS_OK;
}

void prs_publish_abort(struct prs_handle *h, const struct prs_version *v)
{
	if (!h || h->building >= PRS_POOL || v != &h->buf[h->building])
		return;
	writer_unlock(h);
}
