/* SPDX-License-Identifier: MIT */
/*
 * Reader side of the publication protocol: the steps prs_switch and
 * prs_reload (percpu/src/switch.c) run, IRQs off, never waiting. With w a
 * handle's word and r this CPU's reader:
 *
 *   R1 w1 = load_sc(h->word)
 *      h == loaded_h && w1 == loaded_w  ->  done (fast path, no MPU access)
 *   R2 store_rel(ann_w, LOWER(w1)); R3 store_sc(ann_h, h)   announce
 *   R4 w2 = load_sc(h->word)                                 the version to copy
 *   R5 store_rel(ann_w, EXACT | w2)                          narrow the pin
 *   R6 copy version idx(w2), this CPU's class set, into the MPU
 *   R7 store_rlx(loaded_h, h); store_rel(loaded_w, w2)
 *   R8 store_rel(ann_h, NULL)                                end of the copy
 *
 * No loop, no read-modify-write, no wait. R3 is the only seq_cst store: the
 * protocol needs store(ann_h) -> load(word) ordered (R3 before R4, and
 * before the next switch's R1). On Armv8 seq_cst loads and stores are
 * LDA/STL, ordered with each other (RCsc), so that costs no DMB; on x86 it
 * is the one locked store of the slow path.
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
 * copies the new version. The writer's half and Claims 1-4: publish.c.
 */
#ifndef PRSCHED_SYNC_READER_H
#define PRSCHED_SYNC_READER_H

#include "prsched/cache.h"
#include "prsched/publish.h"
#include "prsched/testing.h"
#include "../../lib/arch/own_word.h"

/* R1. seq_cst: after this CPU's last R3 in S (the fast-path argument above). */
static inline uint32_t prs_read_word(struct prs_handle *h)
{
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	return atomic_load_explicit(&h->word, memory_order_seq_cst);
}

/* The fast-path test. Relaxed: loaded_* are only ever written by this CPU. */
static inline int prs_read_holds(struct prs_reader *r, const struct prs_handle *h, uint32_t w)
{
	return h == prs_own_load_h(&r->loaded_h) && w == prs_own_load_w(&r->loaded_w);
}

/* R2-R5: announce h, read the word again, narrow the pin. Returns w2. */
static inline uint32_t prs_read_pin(struct prs_reader *r, struct prs_handle *h, uint32_t w1)
{
	uint32_t w2;

	/*
	 * R2. LOWER(w1) before ann_h (release): a writer whose acquire load
	 * reads ann_h == h from the store below also reads this or a newer
	 * ann_w. A handle's word never has EXACT set, so w1 is LOWER(w1).
	 */
	atomic_store_explicit(&r->ann_w, w1, memory_order_release);
	/*
	 * R3, the only seq_cst store: ordered before the w2 load below in S
	 * (store->load), and the release every writer scan synchronizes with
	 * when it sees this announce (Claims 1 and 3 in publish.c).
	 */
	atomic_store_explicit(&r->ann_h, h, memory_order_seq_cst);
	PRS_CACHE_CLEAN(&r->ann_h, PRS_CACHE_LINE);
	PRS_TEST_HOOK(r->id, PRS_HOOK_ANNOUNCED);
	PRS_CACHE_INVAL(&h->word, sizeof(h->word));
	/* R4. seq_cst: after the ann_h store in S; acquire for the version's contents. */
	w2 = atomic_load_explicit(&h->word, memory_order_seq_cst);
	/* R5. Release: narrows the pin; LOWER(w1) already covered version idx(w2). */
	atomic_store_explicit(&r->ann_w, w2 | PRS_WORD_EXACT, memory_order_release);
	PRS_CACHE_CLEAN(&r->ann_h, PRS_CACHE_LINE);
	PRS_TEST_HOOK(r->id, PRS_HOOK_READ_W2);
	return w2;
}

/* R6's source: this CPU's class set in version idx(w2). */
static inline const void *prs_read_set(const struct prs_reader *r, uint32_t w2)
{
	const void *s = (const void *)(r->vset + (uintptr_t)prs_word_index(w2) * r->vstride);

	PRS_CACHE_INVAL(s, r->vbytes);
	return s;
}

/* R7, R8: record what the MPU holds, end the announce. */
static inline void prs_read_done(struct prs_reader *r, struct prs_handle *h, uint32_t w2)
{
	PRS_TEST_HOOK(r->id, PRS_HOOK_COPIED);
	/*
	 * R7. Not seq_cst: writers read loaded_* only after a seq_cst load of
	 * ann_h that returned this switch's R3 or a later release store to
	 * ann_h (R8 below, or a later switch's R3), each program-ordered after
	 * these stores (publish.c, Claim 3). loaded_h relaxed; loaded_w release
	 * so that a ticket poll that reads it (acquire) also sees the copy done
	 * (publish.c, Claim 4). This CPU reads its own values.
	 */
	prs_own_store_h(&r->loaded_h, h);
	atomic_store_explicit(&r->loaded_w, w2, memory_order_release);
	PRS_TEST_HOOK(r->id, PRS_HOOK_DONE);
	/*
	 * R8. Release: every load from the version and the loaded_* stores
	 * happen-before a writer that sees this.
	 */
	atomic_store_explicit(&r->ann_h, NULL, memory_order_release);
	PRS_CACHE_CLEAN(&r->ann_h, PRS_CACHE_LINE);
}

#endif
