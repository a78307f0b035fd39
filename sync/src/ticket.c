/* SPDX-License-Identifier: MIT */
/*
 * Revocation tickets: wait until every CPU that had to reload has done so.
 *
 * A CPU of the ticket is done when its announce shows no copy of h older
 * than the ticket's epoch in flight and its loaded state is not h at an
 * older epoch. The loads run after the publish in S and in the same order
 * as the reload scan (ann_h first, seq_cst: the reader's loaded_* stores are
 * not seq_cst and become visible through it), so by Claims 3 and 4 of
 * publish.c any state they see that is not stale was left by a switch or
 * reload whose word load followed the publish: done is permanent, the bit
 * is cleared, and the copy that made it so happens-before (loaded_w is a
 * release store, read here by an acquire). Reading loaded_h and loaded_w
 * separately may pair values of two events; the stale-run state only
 * changes when that CPU switches or reloads, and every later switch to h
 * reads the new word, so a torn pair can only delay the answer (stale h +
 * newer word is impossible as a pair from one event, and any newer value
 * means the stale state is gone). Epochs compare modulo 2^21: a ticket must
 * be polled before 2^20 more publishes of the handle.
 */
#include <stddef.h>
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/publish.h"

static int cpu_done(const struct prs_reader *c, const struct prs_ticket *t)
{
	PRS_CACHE_INVAL(&c->ann_h, PRS_CACHE_LINE);
	/* seq_cst: after the ticket's publish in S, before the loaded_* loads. */
	if (atomic_load_explicit(&c->ann_h, memory_order_seq_cst) == t->h &&
	    /* Acquire: pairs with the reader's release of ann_w. */
	    prs_epoch_before(prs_word_epoch(atomic_load_explicit(&c->ann_w, memory_order_acquire)),
			     t->epoch))
		return 0;
	/*
	 * seq_cst (acquire at least): after the ann_h load; loaded_w pairs with
	 * the reader's release store R7 (publish.c, Claim 4).
	 */
	if (atomic_load_explicit(&c->loaded_h, memory_order_seq_cst) == t->h &&
	    prs_epoch_before(prs_word_epoch(atomic_load_explicit(&c->loaded_w,
								  memory_order_seq_cst)),
			     t->epoch))
		return 0;
	return 1;
}

int prs_ticket_poll(struct prs_ticket *t)
{
	if (!t || !t->h)
		return PRS_E_NULL;
	for (unsigned k = 0; k < t->h->sys->cfg.ncpus; k++)
		if ((t->mask & (1u << k)) && cpu_done(t->h->sys->rd[k], t))
			t->mask &= ~(1u << k);
	return t->mask ? PRS_E_AGAIN : PRS_OK;
}

void prs_ticket_wait(struct prs_ticket *t)
{
	while (prs_ticket_poll(t) == PRS_E_AGAIN)
		prs_system_relax(t->h->sys);
}

int prs_tickets_poll(struct prs_tickets *ts)
{
	int err = PRS_OK;

	if (!ts)
		return PRS_E_NULL;
	for (uint32_t i = 0; i < ts->n && i < PRS_TICKETS_MAX; i++)
		if (ts->t[i].mask && prs_ticket_poll(&ts->t[i]) != PRS_OK)
			err = PRS_E_AGAIN;
	return err;
}

void prs_tickets_wait(struct prs_tickets *ts)
{
	while (prs_tickets_poll(ts) == PRS_E_AGAIN)
		prs_system_relax(ts->t[0].h->sys);
}

uint32_t prs_handle_busy(const struct prs_handle *h)
{
	uint32_t mask = 0;

	if (!h || !h->sys)
		return 0;
	for (unsigned k = 0; k < h->sys->cfg.ncpus; k++) {
		const struct prs_reader *c = h->sys->rd[k];

		PRS_CACHE_INVAL(&c->ann_h, PRS_CACHE_LINE);
		/*
		 * seq_cst: ann_h first, then loaded_h (same order as the reload
		 * scan: loaded_h is a relaxed store, visible through ann_h).
		 */
		if (atomic_load_explicit(&c->ann_h, memory_order_seq_cst) == h ||
		    atomic_load_explicit(&c->loaded_h, memory_order_seq_cst) == h)
			mask |= 1u << k;
	}
	return mask;
}
