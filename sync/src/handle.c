/* SPDX-License-Identifier: MIT */
/* Handles: creation (the first version), retirement, and who still uses one. */
#include <stddef.h>
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/publish.h"
#include "version.h"

int prs_handle_start(struct prs_handle *h, struct prs_system *sys)
{
	int err = prs_system_start(sys);

	if (err == PRS_OK && sys->handles + 1u + sys->cfg.ncpus + 1u > sys->nversions)
		err = PRS_E_POOL; /* the bound of Claim 2 would not hold */
	if (err == PRS_OK)
		err = prs_placed(sys, h, sizeof(*h));
	if (err != PRS_OK)
		return err;
	h->sys = sys;
	/* Relaxed: the handle is not shared yet (the kernel hands it to other
	 * CPUs after this returns, which orders it after the publish below). */
	atomic_store_explicit(&h->word, prs_word_make(0, 0), memory_order_relaxed);
	(void)prs_publish_version(sys, h, prs_pool_take(sys), 1u, 1);
	sys->handles++;
	return PRS_OK;
}

int prs_handle_init(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_version *initial)
{
	int err;

	if (!h || !sys || !initial)
		return PRS_E_NULL;
	prs_writer_lock(sys);
	if (initial != &sys->stage)
		sys->stage = *initial;
	err = prs_version_check(sys, &sys->stage);
	if (err == PRS_OK)
		err = prs_handle_start(h, sys);
	prs_writer_unlock(sys);
	return err;
}

int prs_handle_fini(struct prs_handle *h)
{
	struct prs_system *sys;
	struct prs_vhdr *hd;

	if (!h)
		return PRS_E_NULL;
	sys = h->sys;
	if (!sys || !sys->started)
		return PRS_E_ARG;
	prs_writer_lock(sys);
	/* Relaxed: only writers store the word, and we hold the lock. */
	hd = prs_vhdr_of(sys, prs_word_index(atomic_load_explicit(&h->word, memory_order_relaxed)));
	if (!hd->cur || hd->owner != h) {
		prs_writer_unlock(sys);
		return PRS_E_ARG; /* retired already */
	}
	/*
	 * Not current any more: the version is reused once no CPU pins it
	 * (owner stays h until then, so announces of h still protect it).
	 */
	hd->cur = 0;
	sys->handles--;
	prs_writer_unlock(sys);
	return PRS_OK;
}
