/* SPDX-License-Identifier: MIT */
/* Grant / revoke glue between the builder (lib/) and publication (sync/). */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/thread.h"
#include "version.h"

/*
 * Every class's set for the current layers, into the staging version.
 * Under the writer lock (it also covers t->own). Every build is admitted
 * against the removal bound (lib/src/admit.c): a grant that would let some
 * later removal of the thread's ranges or of its domains' partitions need
 * more slots than the CPU has is refused with PRS_E_UNREVOCABLE. A removal
 * never raises the bound, so from an admitted state revoke and refresh-
 * after-removal pass the same check and cannot fail for lack of slots
 * (invariant 9).
 */
static int build_all(const struct prs_thread *t, struct prs_system *sys)
{
	const struct prs_rangeset *layers[PRS_MAX_LAYERS];
	unsigned n = 0;
	int err = PRS_OK;

	for (n = 0; n < t->h.nouter; n++)
		layers[n] = t->h.outer[n];
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
	if (nouter >= PRS_MAX_LAYERS)
		return PRS_E_ARG;
	if (sys->nclasses == 0)
		return PRS_E_NOCPU;
	err = prs_rangeset_init(&t->h.own, storage, cap, (enum prs_arch)sys->cls[0].image.arch);
	if (err != PRS_OK)
		return err;
	t->h.outer = outer;
	t->h.nouter = nouter;
	prs_writer_lock(sys);
	err = build_all(t, sys);
	if (err == PRS_OK)
		err = prs_handle_start(&t->h, sys);
	prs_writer_unlock(sys);
	return err;
}

int prs_thread_grant(struct prs_thread *t, const struct prs_range *r)
{
	int err;

	if (!t || !r)
		return PRS_E_NULL;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = prs_rangeset_add(&t->h.own, r);
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	err = build_all(t, t->h.sys);
	if (err != PRS_OK) {
		(void)prs_rangeset_remove(&t->h.own, r->base, r->size); /* drops exactly the ref we took */
		prs_publish_abort(&t->h);
		return err;
	}
	return prs_publish_commit(&t->h, NULL);
}

int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk)
{
	struct prs_range saved = { 0, 0, 0, 0, 0, 0 };
	int err;

	if (!t || !tk)
		return PRS_E_NULL;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = prs_rangeset_find(&t->h.own, base, size);
	if (err >= 0)
		saved = t->h.own.e[err].r;
	err = prs_rangeset_remove(&t->h.own, base, size); /* fails unless find succeeded */
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	err = build_all(t, t->h.sys);
	if (err != PRS_OK) {
		(void)prs_rangeset_add(&t->h.own, &saved); /* gives the reference back */
		prs_publish_abort(&t->h);
		return err;
	}
	return prs_publish_commit(&t->h, tk);
}

int prs_thread_revoke(struct prs_thread *t, uint64_t base, uint64_t size)
{
	struct prs_ticket tk;
	int err = prs_thread_revoke_async(t, base, size, &tk);

	if (err == PRS_OK)
		prs_ticket_wait(&tk);
	return err;
}

int prs_thread_refresh(struct prs_thread *t, struct prs_ticket *tk)
{
	int err;

	if (!t)
		return PRS_E_NULL;
	if (!prs_publish_begin(&t->h))
		return PRS_E_ARG;
	err = build_all(t, t->h.sys);
	if (err != PRS_OK) {
		prs_publish_abort(&t->h);
		return err;
	}
	return prs_publish_commit(&t->h, tk);
}

int prs_thread_fini(struct prs_thread *t)
{
	return t ? prs_handle_fini(&t->h) : PRS_E_NULL;
}
