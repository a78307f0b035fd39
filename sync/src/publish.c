/* SPDX-License-Identifier: MIT */
/*
 * Writer side of the publication protocol: the shared version pool, its
 * reclamation, publish, reload requests. The reader side is reader.h.
 *
 * Notation: S is the single total order of all seq_cst operations. Readers
 * (CPU k switching to h) do
 *     R1 w1 = load_sc(word)
 *     R2 store_rel(ann_w, LOWER(w1));  R3 store_sc(ann_h, h)
 *     R4 w2 = load_sc(word);           R5 store_rel(ann_w, EXACT|w2)
 *     R6 copy version idx(w2)
 *     R7 store_rlx(loaded_h, h); store_rel(loaded_w, w2);  R8 store_rel(ann_h, NULL)
 * and a fast path is R1 alone (plus this CPU's own loaded_*, relaxed). R3
 * is the reader's only seq_cst store. Every writer-side reader of another
 * CPU's loaded_* (reload_mask, ticket.c) loads ann_h (seq_cst) FIRST.
 *
 * Writers of every handle are serialized by one system lock, which also
 * covers the pool's metadata: per version v, owner[v] (the handle it was
 * last published for), epoch[v] (its epoch then) and cur[v] (it is
 * owner[v]'s current version). A commit for h publishes with
 * P = store_sc(h->word, (e, v)), and picks v only after a scan Q of every
 * CPU: load_sc(ann_h), then if it is a handle, load_acq(ann_w). v is
 * pinned by k iff ann_h == owner[v] and ann_w is EXACT naming v, or
 * LOWER(e') with epoch[v] not older than e'.
 *
 * Claim 1 (invariant 4: no version is rewritten while a CPU may copy it).
 * Let k copy v at R6, so R4 read a word of h naming v, published by some
 * P_v (so owner[v] = h and epoch[v] = epoch(w2) from then until v is
 * reused). A writer rewrites v only after a later publish P' of h made v
 * non-current (cur[v] = 0) and then a scan Q found v unpinned. R4 read a
 * value mo-before P', so R4 precedes P' in S; R3 precedes R4 (program
 * order, both seq_cst); P' precedes Q (program order, or through the lock
 * when another writer's commit scans). So R3 precedes Q's ann_h load in S,
 * and that load returns R3's h or a later store to ann_h:
 *   - h from R3: it synchronizes with R3 (release), so R2 happens-before the
 *     ann_w load, which returns LOWER(w1) or a later value. LOWER(w1) pins v
 *     because w1 was read before w2, so epoch(w1) <= epoch(w2) = epoch[v]
 *     (v is not reused in between: that is what we are proving, by
 *     induction over reuses), and owner[v] = h. EXACT|w2 names v. A later
 *     value is a release store program-ordered after R8, so R6
 *     happens-before the rewrite.
 *   - a later store (R8's NULL, or a later switch's R3): release after R6,
 *     read by an acquire load, so R6 happens-before the rewrite.
 * Either way the rewrite cannot overlap the copy, and the copy saw exactly
 * the version P_v published (its writes happen-before R4 through P_v):
 * invariant 3 (no torn set). Announces of other handles never pin v, and
 * need not: a CPU copies v only through a word of owner[v]. The scan reads
 * ann_h and ann_w separately, so it may pair the ann_h of one switch S1 with
 * the ann_w of a later switch S2 of the same CPU: S1's copy has ended then
 * (S2's R2 follows S1's R8), and S2 announced after the scan's ann_h load,
 * so its R4 reads a word published before our commit or by it -- a current
 * version, which is never picked. Such a pair can only pin too much.
 *
 * Claim 2 (pool bound: with T live handles and C CPUs, T + C + 1 versions
 * suffice; a writer never waits unless a CPU saw two publishes of one
 * handle inside its R1..R5 window). Not free are: the T current versions,
 * and per CPU k announcing h either one version (EXACT) or the
 * non-current versions of h with epoch >= e (LOWER(e)). A non-current
 * version of h with epoch >= e exists only if h was published after the
 * word k read at R1; two such versions only if h was published twice while
 * k is between R1 and R5 (it is then between R3 and R5, or the scan would
 * not see its ann_h). So if no CPU has seen two publishes of one handle
 * inside its window, each CPU pins at most one non-current version, at
 * most T + C are busy, and one of T + C + 1 is free (prs_handle_init
 * refuses a handle that would break this: PRS_E_POOL). Otherwise the commit
 * re-scans until that CPU executes its next announce store (R5, or R8) -- a
 * few instructions with IRQs off, bounded by the reader's own progress and
 * never by a lock -- and counts the wait in pin_waits. (A scan that pairs
 * ann_h and ann_w of two switches, Claim 1, may pin one version more; that
 * wait too ends with the reader's next announce store.) The same argument bounds how far a LOWER(e) pin
 * can lag h's epoch: while k sits in its window, at most (versions - T)
 * publishes of h can complete before the writer has no version left and
 * waits, and the pool holds at most 1024 versions. So the pin
 * comparisons (serial arithmetic modulo 2^21) never span more than 2^10
 * publishes, and w2 == w1 after a wrap of 2^21 publishes (ABA) cannot happen
 * inside one window: the writer stalls long before. The reload mask,
 * tickets and the fast path compare a CPU's loaded word too, which nothing
 * in the pool bounds: a CPU that holds h must take its reload IPI (or
 * switch) before h is published 2^20 more times (the kernel contract in
 * publish.h).
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
#define _POSIX_C_SOURCE 200809L /* sched_yield, in lib/arch/relax.h */
#endif
#include <stddef.h>
#include "cpu_index.h"
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/publish.h"
#include "version.h"
#include "../../lib/arch/relax.h"

void prs_relax(void)
{
	prs_arch_relax();
}

void prs_system_relax(const struct prs_system *sys)
{
	if (sys->cfg.relax)
		sys->cfg.relax(sys->cfg.ctx);
	else
		prs_relax();
}

/*
 * The built-in writer lock: the filter lock (Peterson's algorithm for n
 * processes), here for the n = ncpus CPUs, each keyed by its index i. Only
 * plain loads and stores of words: no exclusive, no CAS (invariant 2's
 * rule for target code, and Cortex-R52 SoCs without a global exclusive
 * monitor, zephyr#76182). Per CPU a level word, per level 1..n-1 a victim
 * word: bounded by the CPU count, values never grow.
 *
 *     for L in 1..n-1: level[i] = L; victim[L] = i;
 *                      wait while victim[L] == i and some level[k != i] >= L
 *     unlock:          level[i] = 0
 *
 * Every access is seq_cst. The textbook proof (at most n - L CPUs pass
 * level L) assumes sequential consistency, and needs exactly its
 * store -> load order: a CPU's stores to level[i] and victim[L] precede
 * its loads of the other levels and of victim[L] in S, so of two CPUs
 * entering level L the one that wrote victim[L] last in S sees the
 * other's level and waits. On Armv8 seq_cst loads and stores are LDA and
 * STL, which keep that order without a DMB (RCsc). The unlock's seq_cst
 * store is also a release, and the next holder's seq_cst loads are
 * acquires: the previous writer's pool, word and rangeset updates
 * happen-before the next writer's critical section. Starvation-free: a
 * waiter at level L is passed only while it is the victim, and every new
 * arrival at L makes itself the victim. A CPU must not enter twice (no
 * preemption by another writer on the same CPU while it holds the lock).
 */
static void filter_lock(struct prs_system *sys, unsigned i)
{
	unsigned n = sys->cfg.ncpus;

	for (unsigned l = 1; l < n; l++) {
		/* seq_cst, both: before our loads below in S (the store -> load order above). */
		atomic_store_explicit(&sys->level[i], l, memory_order_seq_cst);
		atomic_store_explicit(&sys->victim[l], i, memory_order_seq_cst);
		for (;;) {
			unsigned k = 0;

			/* seq_cst: after our two stores in S; acquire of the last holder's unlock. */
			while (k < n && (k == i || atomic_load_explicit(&sys->level[k],
									memory_order_seq_cst) < l))
				k++;
			if (k == n || atomic_load_explicit(&sys->victim[l], memory_order_seq_cst) != i)
				break;
			prs_system_relax(sys);
		}
	}
	sys->lock_cpu = i;
}

void prs_writer_lock(struct prs_system *sys)
{
	if (sys->cfg.lock) {
		sys->cfg.lock(sys->cfg.ctx);
		return;
	}
	if (sys->cfg.cpu_id) {
		filter_lock(sys, sys->cfg.cpu_id(sys->cfg.ctx) % sys->cfg.ncpus);
		return;
	}
#if PRS_WRITER_EXCLUSIVES
	{
		uint32_t unlocked = 0;

		/* Acquire: the previous writer's pool, word and rangeset updates happen-before ours. */
		while (!atomic_compare_exchange_weak_explicit(&sys->lock, &unlocked, 1u,
							      memory_order_acquire,
							      memory_order_relaxed)) {
			unlocked = 0;
			prs_system_relax(sys);
		}
	}
#elif PRS_BARE_METAL
	/* MPIDR.Aff0 is the CPU index (publish.h). */
	filter_lock(sys, prs_arch_cpu_index() % sys->cfg.ncpus);
#else
	/* Only one CPU (prs_system_init refuses more without .lock or .cpu_id). */
	filter_lock(sys, 0);
#endif
}

void prs_writer_unlock(struct prs_system *sys)
{
	sys->building = NULL;
	if (sys->cfg.lock) {
		sys->cfg.unlock(sys->cfg.ctx);
		return;
	}
#if PRS_WRITER_EXCLUSIVES
	if (!sys->cfg.cpu_id) {
		/* Release: pairs with the next writer's acquire in prs_writer_lock. */
		atomic_store_explicit(&sys->lock, 0u, memory_order_release);
		return;
	}
#endif
	/* seq_cst (a release): pairs with the next holder's loads in filter_lock. */
	atomic_store_explicit(&sys->level[sys->lock_cpu], 0u, memory_order_seq_cst);
}

/* Single-writer counter (we hold the lock): load + store, orders nothing. */
static void stat_inc(_Atomic uint32_t *s)
{
	atomic_store_explicit(s, atomic_load_explicit(s, memory_order_relaxed) + 1u,
			      memory_order_relaxed);
}

/* One CPU's announce, as a writer scan sees it (Claim 1). */
struct announce {
	const struct prs_handle *h; /* NULL: copying nothing */
	uint32_t w;                 /* LOWER(e) or EXACT | word */
};

static void read_announce(const struct prs_reader *rd, struct announce *a)
{
	PRS_CACHE_INVAL(&rd->ann_h, PRS_CACHE_LINE);
	/* seq_cst: after our last publish in S; acquire: ends of copies (R8). */
	a->h = atomic_load_explicit(&rd->ann_h, memory_order_seq_cst);
	/* Acquire: pairs with the reader's release stores R2/R5 (and R3). */
	a->w = a->h ? atomic_load_explicit(&rd->ann_w, memory_order_acquire) : 0u;
}

/* Version v may be copied by the CPU whose announce is a (Claim 1). */
static int pins(const struct announce *a, const struct prs_vhdr *v, uint32_t idx)
{
	if (!a->h || a->h != v->owner)
		return 0;
	if (a->w & PRS_WORD_EXACT)
		return prs_word_index(a->w) == idx;
	return !prs_epoch_before(v->epoch, prs_word_epoch(a->w));
}

/* A version neither current nor pinned (Claim 2), or PRS_MAX_VERSIONS. */
static uint32_t find_free(const struct prs_system *sys)
{
	struct announce a[PRS_MAX_CPUS];

	for (unsigned k = 0; k < sys->cfg.ncpus; k++)
		read_announce(sys->rd[k], &a[k]);
	for (uint32_t v = 0; v < sys->nversions; v++) {
		const struct prs_vhdr *hd = prs_vhdr_of(sys, v);
		unsigned k = 0;

		if (hd->cur)
			continue;
		while (k < sys->cfg.ncpus && !pins(&a[k], hd, v))
			k++;
		if (k == sys->cfg.ncpus)
			return v;
	}
	return PRS_MAX_VERSIONS;
}

uint32_t prs_pool_take(struct prs_system *sys)
{
	for (;;) {
		uint32_t v = find_free(sys);

		if (v < PRS_MAX_VERSIONS)
			return v;
		/* Claim 2: some CPU saw two publishes of one handle inside its R1..R5 window. */
		stat_inc(&sys->pin_waits);
		prs_system_relax(sys);
	}
}

struct prs_version *prs_publish_begin(struct prs_handle *h)
{
	struct prs_system *sys;
	uint32_t cur;

	if (!h || !h->sys)
		return NULL;
	sys = h->sys;
	prs_writer_lock(sys);
	sys->building = h;
	/* Relaxed: only writers store the word, and we hold the lock. */
	cur = prs_word_index(atomic_load_explicit(&h->word, memory_order_relaxed));
	for (unsigned c = 0; c < sys->nclasses; c++)
		prs_vset_decode(&sys->cls[c], prs_vset_of(sys, cur, c), &sys->stage.set[c]);
	return &sys->stage;
}

/* Claim 3: CPUs that may run h with a version older than nw. */
static uint32_t reload_mask(const struct prs_system *sys, const struct prs_handle *h, uint32_t nw)
{
	uint32_t mask = 0;

	for (unsigned k = 0; k < sys->cfg.ncpus; k++) {
		struct prs_reader *rd = sys->rd[k];

		PRS_CACHE_INVAL(&rd->ann_h, PRS_CACHE_LINE);
		/*
		 * seq_cst, in this order: after P in S; ann_h first, and an
		 * acquire, so that the loaded_* loads below see at least the
		 * state of the switch whose announce it saw end (Claim 3).
		 */
		if (atomic_load_explicit(&rd->ann_h, memory_order_seq_cst) == h) {
			mask |= 1u << k;
			continue;
		}
		if (atomic_load_explicit(&rd->loaded_h, memory_order_seq_cst) == h &&
		    atomic_load_explicit(&rd->loaded_w, memory_order_seq_cst) != nw)
			mask |= 1u << k;
	}
	return mask;
}

/*
 * Publish the staged sets as version v of h (v free: prs_pool_take). The
 * caller holds the lock and checked the sets. Returns the reload mask.
 */
uint32_t prs_publish_version(struct prs_system *sys, struct prs_handle *h, uint32_t v,
			     uint32_t epoch, int first)
{
	struct prs_vhdr *hd = prs_vhdr_of(sys, v);
	uint32_t old = prs_word_index(atomic_load_explicit(&h->word, memory_order_relaxed));
	uint32_t nw = prs_word_make(epoch, v);

	for (unsigned c = 0; c < sys->nclasses; c++)
		prs_vset_encode(&sys->cls[c], &sys->stage.set[c], prs_vset_of(sys, v, c));
	if (!first)
		prs_vhdr_of(sys, old)->cur = 0; /* superseded: free once unpinned */
	hd->owner = h;
	hd->epoch = epoch;
	hd->cur = 1;
	PRS_CACHE_CLEAN(hd, sys->vstride);
	/*
	 * seq_cst (P): release for the version's contents (readers' R4
	 * acquire); precedes the scans below and in later commits in S
	 * (Claims 1 and 3).
	 */
	atomic_store_explicit(&h->word, nw, memory_order_seq_cst);
	PRS_CACHE_CLEAN(&h->word, sizeof(h->word));
	stat_inc(&sys->publishes);
	return reload_mask(sys, h, nw);
}

uint32_t prs_publish_next(struct prs_system *sys, struct prs_handle *h, struct prs_ticket *t)
{
	/* Relaxed: only writers store the word, and we hold the lock. */
	uint32_t e = (prs_word_epoch(atomic_load_explicit(&h->word, memory_order_relaxed)) + 1u) &
		     PRS_EPOCH_MASK;
	uint32_t mask = prs_publish_version(sys, h, prs_pool_take(sys), e, 0);

	if (t) {
		t->h = h;
		t->epoch = e;
		t->mask = mask;
	}
	return mask;
}

void prs_send_reload(const struct prs_system *sys, uint32_t mask)
{
	if (mask)
		sys->cfg.reload(sys->cfg.ctx, mask);
}

void prs_publish_staged(struct prs_handle *h, struct prs_ticket *t)
{
	struct prs_system *sys = h->sys;
	uint32_t mask = prs_publish_next(sys, h, t);

	prs_writer_unlock(sys);
	prs_send_reload(sys, mask);
}

int prs_publish_commit(struct prs_handle *h, struct prs_ticket *t)
{
	struct prs_system *sys;
	int err;

	if (!h || !h->sys)
		return PRS_E_NULL;
	sys = h->sys;
	if (sys->building != h)
		return PRS_E_ARG; /* no begin: we do not hold the lock */
	err = prs_version_check(sys, &sys->stage);
	if (err != PRS_OK) {
		prs_writer_unlock(sys);
		return err;
	}
	prs_publish_staged(h, t);
	return PRS_OK;
}

void prs_publish_abort(struct prs_handle *h)
{
	if (!h || !h->sys || h->sys->building != h)
		return;
	prs_writer_unlock(h->sys);
}
