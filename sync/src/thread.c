/* SPDX-License-Identifier: MIT */
/* Grant / revoke glue between the builder (lib/) and publication (sync/). */
#include <stddef.h>
#include "layers.h"
#include "prsched/error.h"
#include "version.h"

/*
 * Every class's set for the current layers, into the staging version.
 * Under the writer lock (it also covers t->h.own and the domains). Every
 * build is admitted against the removal bound (lib/src/admit.c): a grant
 * that would let some later removal of the thread's ranges or of its
 * domains' partitions need more slots than the CPU has is refused with
 * PRS_E_UNREVOCABLE. A removal never raises the bound, so from an admitted
 * state revoke and refresh-after-removal pass the same check and cannot
 * fail for lack of slots (invariant 9).
 */
int prs_thread_stage(const struct prs_thread *t, struct prs_system *sys,
		     const struct prs_domain *skip)
{
	const struct prs_rangeset *layers[PRS_MAX_LAYERS];
	unsigned n = 0;
	int err = PRS_OK;

	for (unsigned i = 0; i < t->h.nouter; i++) {
		layers[n] = t->h.outer[i];
		n++;
	}
	for (unsigned i = 0; i < t->h.ndom; i++) {
		if (t->h.dom[i] != skip) {
			layers[n] = &t->h.dom[i]->parts;
			n++;
		}
	}
	layers[n] = &t->h.own;
	n++;
	for (unsigned c = 0; err == PRS_OK && c < sys->nclasses; c++)
		err = prs_set_build_admit(sys->cls[c].layout, layers, n, PRS_REMOVABLE_ALL,
					  &sys->stage.set[c]);
	return err == PRS_OK ? prs_version_check(sys, &sys->stage) : err;
}

int prs_thread_init(struct prs_thread *t, struct prs_system *sys,
		    const struct prs_rangeset *const *outer, unsigned nouter,
		    struct prs_rangeset_entry *storage, unsigned cap)
{
	int err;

	if (!t || !sys || (nouter && !outer))
		return PRS_E_NULL;
	if (nouter + PRS_THREAD_MAX_DOMAINS + 1u > PRS_MAX_LAYERS)
		return PRS_E_ARG;
	if (sys->nclasses == 0)
		return PRS_E_NOCPU;
	err = prs_rangeset_init(&t->h.own, storage, cap, (enum prs_arch)sys->cls[0].image.arch);
	if (err != PRS_OK)
		return err;
	t->h.outer = outer;
	t->h.nouter = (uint8_t)nouter;
	t->h.ndom = 0;
	prs_writer_lock(sys);
	err = prs_thread_stage(t, sys, NULL);
	if (err == PRS_OK)
		err = prs_handle_start(&t->h, sys);
	prs_writer_unlock(sys);
	return err;
}

int prs_thread_grant_async(struct prs_thread *t, const struct prs_range *r,
			   struct prs_ticket *tk)
{
	struct prs_ticket unused;

	if (!r)
		return PRS_E_NULL;
	/* A grant never waits: without tk the ticket is only a place to put it. */
	return prs_thread_update(t, r, 1, NULL, 0, tk ? tk : &unused);
}

int prs_thread_grant(struct prs_thread *t, const struct prs_range *r)
{
	return prs_thread_grant_async(t, r, NULL);
}

int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk)
{
	struct prs_range r = { base, size, 0, 0, 0, 0 };

	if (!tk)
		return PRS_E_NULL;
	return prs_thread_update(t, NULL, 0, &r, 1, tk);
}

int prs_thread_revoke(struct prs_thread *t, uint64_t base, uint64_t size)
{
	struct prs_range r = { base, size, 0, 0, 0, 0 };

	return prs_thread_update(t, NULL, 0, &r, 1, NULL);
}

/*
 * Undo the first ng grants and the first nr revokes of an update, newest
 * first: each step then meets the table exactly as its forward step left
 * it, so it cannot fail (a removal drops the reference its grant took; an
 * add gives back the reference its revoke dropped, into the slot it freed).
 */
static void undo(struct prs_rangeset *own, const struct prs_range *grants, unsigned ng,
		 const struct prs_range *saved, unsigned nr)
{
	for (unsigned i = ng; i > 0u; i--)
		(void)prs_rangeset_remove(own, grants[i - 1u].base, grants[i - 1u].size);
	for (unsigned i = nr; i > 0u; i--)
		(void)prs_rangeset_add(own, &saved[i - 1u]);
}

/* Under the lock: apply the revokes, then the grants, and stage; on any error undo them all. */
static int update_locked(struct prs_thread *t, const struct prs_range *grants, unsigned n,
			 const struct prs_range *revokes, unsigned m)
{
	struct prs_range saved[PRS_THREAD_UPDATE_MAX];
	struct prs_rangeset *own = &t->h.own;
	unsigned j = 0, i = 0;
	int err = PRS_OK;

	for (; err == PRS_OK && j < m; j++) {
		int at = prs_rangeset_find(own, revokes[j].base, revokes[j].size);

		if (at >= 0)
			saved[j] = own->e[at].r;
		err = prs_rangeset_remove(own, revokes[j].base, revokes[j].size); /* fails unless found */
	}
	if (err != PRS_OK) {
		undo(own, grants, 0, saved, j - 1u);
		return err;
	}
	for (; err == PRS_OK && i < n; i++)
		err = prs_rangeset_add(own, &grants[i]);
	if (err != PRS_OK) {
		undo(own, grants, i - 1u, saved, m);
		return err;
	}
	err = prs_thread_stage(t, t->h.sys, NULL);
	if (err != PRS_OK)
		undo(own, grants, n, saved, m);
	return err;
}

/* Publish what was staged under the lock (it is checked: cannot fail); wait unless tk. */
static void publish_staged(struct prs_thread *t, struct prs_ticket *tk)
{
	struct prs_ticket own_tk;

	prs_publish_staged(&t->h, tk ? tk : &own_tk);
	if (!tk)
		prs_ticket_wait(&own_tk);
}

int prs_thread_update(struct prs_thread *t, const struct prs_range *grants, unsigned n,
		      const struct prs_range *revokes, unsigned m, struct prs_ticket *tk)
{
	int err;

	if (!t || (n && !grants) || (m && !revokes))
		return PRS_E_NULL;
	if (m > PRS_THREAD_UPDATE_MAX)
		return PRS_E_ARG;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = update_locked(t, grants, n, revokes, m);
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	publish_staged(t, tk);
	return PRS_OK;
}

int prs_thread_replace(struct prs_thread *t, struct prs_rangeset_entry *storage, unsigned cap,
		       const struct prs_range *ranges, unsigned n, struct prs_ticket *tk)
{
	struct prs_rangeset next, old;
	int err;

	if (!t || !storage || (n && !ranges))
		return PRS_E_NULL;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = prs_rangeset_init(&next, storage, cap, (enum prs_arch)t->h.own.arch);
	for (unsigned i = 0; err == PRS_OK && i < n; i++)
		err = prs_rangeset_add(&next, &ranges[i]);
	old = t->h.own;
	if (err == PRS_OK) {
		t->h.own = next;
		err = prs_thread_stage(t, t->h.sys, NULL);
		if (err != PRS_OK)
			t->h.own = old;
	}
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	publish_staged(t, tk);
	return PRS_OK;
}

int prs_thread_refresh(struct prs_thread *t, struct prs_ticket *tk)
{
	int err;

	if (!t)
		return PRS_E_NULL;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = prs_thread_stage(t, t->h.sys, NULL);
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	prs_publish_staged(&t->h, tk);
	return PRS_OK;
}

int prs_thread_fini(struct prs_thread *t)
{
	struct prs_system *sys;

	if (!t)
		return PRS_E_NULL;
	sys = t->h.sys;
	if (!sys)
		return PRS_E_ARG;
	prs_writer_lock(sys);
	while (t->h.ndom > 0u)
		prs_domain_unlink(t->h.dom[0], t);
	prs_writer_unlock(sys);
	return prs_handle_fini(&t->h);
}
