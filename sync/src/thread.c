/* SPDX-License-Identifier: MIT */
/* Grant / revoke glue between the builder (lib/) and publication (sync/). */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/thread.h"

/* Every CPU's set for the current layers, into v. */
static int build_all(const struct prs_thread *t, struct prs_version *v)
{
	const struct prs_rangeset *layers[PRS_MAX_LAYERS];
	unsigned n = 0;

	for (unsigned i = 0; i < t->nouter; i++)
		layers[n++] = t->outer[i];
	layers[n++] = &t->own;
	for (unsigned k = 0; k < t->sys->cfg.ncpus; k++) {
		int err = prs_set_build(t->layout[k], layers, n, prs_version_set(v, k));

		if (err != PRS_OK)
			return err;
	}
	return PRS_OK;
}

int prs_thread_init(struct prs_thread *t, struct prs_handle *h, struct prs_system *sys,
		    const struct prs_cpu_layout *const *layouts,
		    const struct prs_rangeset *const *outer, unsigned nouter,
		    struct prs_rangeset_entry *storage, unsigned cap)
{
	struct prs_version *first;
	int err;

	if (!t || !h || !sys || !layouts || (nouter && !outer))
		return PRS_E_NULL;
	if (nouter >= PRS_MAX_LAYERS || sys->cfg.ncpus == 0)
		return PRS_E_ARG;
	for (unsigned k = 0; k < sys->cfg.ncpus; k++)
		if (!layouts[k])
			return PRS_E_NULL;
	err = prs_rangeset_init(&t->own, storage, cap, (enum prs_arch)layouts[0]->arch);
	if (err != PRS_OK)
		return err;
	t->h = h;
	t->sys = sys;
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++)
		t->layout[k] = k < sys->cfg.ncpus ? layouts[k] : NULL;
	t->nouter = nouter;
	for (unsigned i = 0; i < nouter; i++)
		t->outer[i] = outer[i];
	/*
	 * Build the first version in the handle's own pool: buffer 1 is free
	 * until the handle is published (prs_handle_init copies it to buffer 0),
	 * so no scratch storage is shared between threads being created.
	 */
	first = &h->buf[1];
	err = build_all(t, first);
	if (err == PRS_OK)
		err = prs_handle_init(h, sys, first);
	return err;
}

/*
 * Build into v (from begin) and check it, still under the lock: on error
 * the caller undoes its rangeset change and then aborts, so the undo is
 * serialized with other writers too. The commit that follows cannot fail.
 */
static int build_checked(struct prs_thread *t, struct prs_version *v)
{
	int err = build_all(t, v);

	return err != PRS_OK ? err : prs_version_check(t->sys, v);
}

int prs_thread_grant(struct prs_thread *t, const struct prs_range *r)
{
	struct prs_version *v;
	int err;

	if (!t || !r)
		return PRS_E_NULL;
	v = prs_publish_begin(t->h); /* the lock also covers t->own */
	err = prs_rangeset_add(&t->own, r);
	if (err != PRS_OK) {
		prs_publish_abort(t->h, v);
		return err;
	}
	err = build_checked(t, v);
	if (err != PRS_OK) {
		(void)prs_rangeset_remove(&t->own, r->base, r->size); /* drops exactly the ref we took */
		prs_publish_abort(t->h, v);
		return err;
	}
	return prs_publish_commit(t->h, v, NULL);
}

int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk)
{
	struct prs_version *v;
	struct prs_range saved = { 0, 0, 0, 0, 0, 0 };
	int err;

	if (!t || !tk)
		return PRS_E_NULL;
	v = prs_publish_begin(t->h);
	err = prs_rangeset_find(&t->own, base, size);
	if (err >= 0)
		saved = t->own.e[err].r;
	err = prs_rangeset_remove(&t->own, base, size); /* fails unless find succeeded */
	if (err != PRS_OK) {
		prs_publish_abort(t->h, v);
		return err;
	}
	err = build_checked(t, v);
	if (err != PRS_OK) {
		(void)prs_rangeset_add(&t->own, &saved); /* gives the reference back */
		prs_publish_abort(t->h, v);
		return err;
	}
	return prs_publish_commit(t->h, v, tk);
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
	struct prs_version *v;
	int err;

	if (!t)
		return PRS_E_NULL;
	v = prs_publish_begin(t->h);
	err = build_checked(t, v);
	if (err != PRS_OK) {
		prs_publish_abort(t->h, v);
		return err;
	}
	return prs_publish_commit(t->h, v, tk);
}
