/* SPDX-License-Identifier: MIT */
/*
 * Memory domains (prsched/domain.h): partitions shared by member threads.
 * Every call runs under the system's writer lock, which covers the
 * partitions, the member lists and every member's layers. A change is
 * checked for every member before any member is published (two passes:
 * admit all, then rebuild and publish each), so it is all or nothing; the
 * reload requests of all the publishes go out in one call to the kernel's
 * reload callback after the lock is released.
 */
#include <stddef.h>
#include "layers.h"
#include "prsched/error.h"
#include "version.h"

int prs_domain_init(struct prs_domain *d, struct prs_system *sys,
		    struct prs_rangeset_entry *storage, unsigned cap)
{
	if (!d || !sys)
		return PRS_E_NULL;
	if (sys->nclasses == 0)
		return PRS_E_NOCPU;
	d->sys = sys;
	d->n = 0;
	return prs_rangeset_init(&d->parts, storage, cap, (enum prs_arch)sys->cls[0].image.arch);
}

/*
 * Under the lock: admit every member's new set (pass 1; the staging
 * version is scratch), then rebuild each -- the same inputs, so the same
 * result -- and publish it (pass 2). Returns the union of the reload masks
 * in *mask; ts (may be NULL) gets one ticket per member.
 */
static int republish(struct prs_domain *d, struct prs_tickets *ts, uint32_t *mask)
{
	int err = PRS_OK;

	for (uint32_t i = 0; err == PRS_OK && i < d->n; i++)
		err = prs_thread_stage(d->member[i], d->sys, NULL);
	for (uint32_t i = 0; err == PRS_OK && i < d->n; i++) {
		err = prs_thread_stage(d->member[i], d->sys, NULL);
		if (err == PRS_OK)
			*mask |= prs_publish_next(d->sys, &d->member[i]->h, ts ? &ts->t[i] : NULL);
	}
	if (ts)
		ts->n = err == PRS_OK ? d->n : 0u;
	return err;
}

int prs_domain_add_partition(struct prs_domain *d, const struct prs_range *r,
			     struct prs_tickets *ts)
{
	uint32_t mask = 0;
	int err;

	if (!d || !r || !d->sys)
		return PRS_E_NULL;
	if (ts)
		ts->n = 0;
	prs_writer_lock(d->sys);
	err = prs_rangeset_add(&d->parts, r);
	if (err == PRS_OK) {
		err = republish(d, ts, &mask);
		if (err != PRS_OK) /* pass 1 refused: nothing published */
			(void)prs_rangeset_remove(&d->parts, r->base, r->size);
	}
	prs_writer_unlock(d->sys);
	prs_send_reload(d->sys, mask);
	return err;
}

int prs_domain_remove_partition_async(struct prs_domain *d, uint64_t base, uint64_t size,
				      struct prs_tickets *ts)
{
	struct prs_range saved = { 0, 0, 0, 0, 0, 0 };
	uint32_t mask = 0;
	int err, at;

	if (!d || !ts || !d->sys)
		return PRS_E_NULL;
	ts->n = 0;
	prs_writer_lock(d->sys);
	at = prs_rangeset_find(&d->parts, base, size);
	if (at >= 0)
		saved = d->parts.e[at].r;
	err = prs_rangeset_remove(&d->parts, base, size); /* fails unless find succeeded */
	if (err == PRS_OK) {
		/* Invariant 9: a removal passes admission (the bound never grows). */
		err = republish(d, ts, &mask);
		if (err != PRS_OK)
			(void)prs_rangeset_add(&d->parts, &saved); /* gives the reference back */
	}
	prs_writer_unlock(d->sys);
	prs_send_reload(d->sys, mask);
	return err;
}

int prs_domain_remove_partition(struct prs_domain *d, uint64_t base, uint64_t size)
{
	struct prs_tickets ts;
	int err = prs_domain_remove_partition_async(d, base, size, &ts);

	if (err == PRS_OK)
		prs_tickets_wait(&ts);
	return err;
}

static int is_member(const struct prs_domain *d, const struct prs_thread *t)
{
	for (uint32_t i = 0; i < t->h.ndom; i++)
		if (t->h.dom[i] == d)
			return 1;
	return 0;
}

int prs_domain_add_thread(struct prs_domain *d, struct prs_thread *t, struct prs_ticket *tk)
{
	uint32_t mask = 0;
	int err = PRS_OK;

	if (!d || !t || !d->sys)
		return PRS_E_NULL;
	if (t->h.sys != d->sys)
		return PRS_E_ARG;
	prs_writer_lock(d->sys);
	if (is_member(d, t))
		err = PRS_E_ARG;
	if (err == PRS_OK && (d->n >= PRS_DOMAIN_MAX_MEMBERS || t->h.ndom >= PRS_THREAD_MAX_DOMAINS))
		err = PRS_E_FULL;
	if (err == PRS_OK) {
		t->h.dom[t->h.ndom] = d;
		t->h.ndom++;
		err = prs_thread_stage(t, d->sys, NULL);
		if (err == PRS_OK) {
			d->member[d->n] = t;
			d->n++;
			mask = prs_publish_next(d->sys, &t->h, tk);
		} else {
			t->h.ndom--;
		}
	}
	prs_writer_unlock(d->sys);
	prs_send_reload(d->sys, mask);
	return err;
}

/* Keeps the order of t's other layers. */
void prs_domain_unlink(struct prs_domain *d, struct prs_thread *t)
{
	uint32_t i = 0, k = 0;

	while (t->h.dom[i] != d)
		i++;
	for (; i + 1u < t->h.ndom; i++)
		t->h.dom[i] = t->h.dom[i + 1u];
	t->h.ndom--;
	while (d->member[k] != t)
		k++;
	d->n--;
	d->member[k] = d->member[d->n];
}

int prs_domain_remove_thread_async(struct prs_domain *d, struct prs_thread *t,
				   struct prs_ticket *tk)
{
	uint32_t mask = 0;
	int err;

	if (!d || !t || !tk || !d->sys)
		return PRS_E_NULL;
	if (t->h.sys != d->sys)
		return PRS_E_ARG;
	prs_writer_lock(d->sys);
	/* Invariant 9: leaving passes admission (the bound never grows). */
	err = is_member(d, t) ? prs_thread_stage(t, d->sys, d) : PRS_E_NOENT;
	if (err == PRS_OK) {
		prs_domain_unlink(d, t);
		mask = prs_publish_next(d->sys, &t->h, tk);
	}
	prs_writer_unlock(d->sys);
	prs_send_reload(d->sys, mask);
	return err;
}

int prs_domain_remove_thread(struct prs_domain *d, struct prs_thread *t)
{
	struct prs_ticket tk;
	int err = prs_domain_remove_thread_async(d, t, &tk);

	if (err == PRS_OK)
		prs_ticket_wait(&tk);
	return err;
}
