/* SPDX-License-Identifier: MIT */
/*
 * Handle initialization and the check every version passes before it is
 * published: the facts the switch path's write-order argument relies on
 * (percpu/src/switch.c), verified off the switch path.
 */
#include <stddef.h>
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "seal.h"

static int ranges_overlap(const struct prs_slot_info *a, const struct prs_slot_info *b)
{
	return a->base <= b->limit && b->base <= a->limit;
}

/* Slot i of s (enabled, dynamic) against the CPU's statics and the slots below it. */
static int check_dynamic(const struct prs_cpu *c, const struct prs_set *s, unsigned i)
{
	struct prs_slot_info r, o;
	unsigned gap = 0;

	(void)prs_slot_decode(s, i, &r);
	for (unsigned j = 0; j < c->nstatic; j++) {
		if (!prs_slot_decode(&c->image, j, &o))
			continue;
		if (ranges_overlap(&r, &o))
			return PRS_E_STATIC;
		if (o.limit < r.base)
			gap++;
	}
	if (s->gap[i] != gap)
		return PRS_E_ARG;
	for (unsigned j = c->nstatic; j < i; j++)
		if (prs_slot_decode(s, j, &o) && ranges_overlap(&r, &o))
			return PRS_E_CONFLICT;
	return PRS_OK;
}

static int check_set(const struct prs_cpu *c, const struct prs_set *s)
{
	if (s->nslots != c->nslots || s->nstatic != c->nstatic || s->arch != c->arch)
		return PRS_E_ARG;
	for (unsigned i = 0; i < c->nstatic; i++)
		if (s->prbar[i] != c->image.prbar[i] || s->prlar[i] != c->image.prlar[i])
			return PRS_E_STATIC;
	for (unsigned i = c->nslots; i < PRS_MAX_REGIONS; i++)
		if (s->prbar[i] || s->prlar[i])
			return PRS_E_ARG;
	if ((unsigned)s->nstatic + s->ndyn > s->nslots)
		return PRS_E_ARG;
	for (unsigned i = c->nstatic; i < c->nslots; i++) {
		int err;

		/* Enabled dynamic slots are exactly [nstatic, nstatic + ndyn): the switch relies on it. */
		if ((s->prlar[i] & 1u) != (i < (unsigned)s->nstatic + s->ndyn))
			return PRS_E_ARG;
		if (!(s->prlar[i] & 1u)) {
			if (s->prlar[i])
				return PRS_E_ARG;
			continue;
		}
		err = check_dynamic(c, s, i);
		if (err != PRS_OK)
			return err;
	}
	return PRS_OK;
}

int prs_version_check(const struct prs_system *sys, const struct prs_version *v)
{
	if (!sys || !v)
		return PRS_E_NULL;
	for (unsigned k = 0; k < sys->cfg.ncpus; k++) {
		int err;

		if (!sys->cpu[k])
			return PRS_E_ARG;
		err = check_set(sys->cpu[k], &v->cpu[k].set);
		if (err != PRS_OK)
			return err;
	}
	return PRS_OK;
}

int prs_handle_init(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_version *initial)
{
	int err;

	if (!h || !sys || !initial)
		return PRS_E_NULL;
	err = prs_version_check(sys, initial);
	if (err != PRS_OK)
		return err;
	if (sys->cfg.flags & PRS_SYS_CHECK_PLACEMENT)
		for (unsigned k = 0; k < sys->cfg.ncpus; k++)
			if (prs_static_covers(sys, &sys->cpu[k]->image, h, sizeof(*h), 0) != PRS_OK)
				return PRS_E_PLACEMENT;
	h->buf[0] = *initial;
	prs_version_seal(sys, &h->buf[0]);
	for (unsigned b = 0; b < PRS_POOL; b++)
		h->epoch_of[b] = 0;
	h->epoch_of[0] = 1;
	h->published = 1;
	h->building = PRS_POOL;
	h->sys = sys;
	atomic_init(&h->lock, 0u);
	atomic_init(&h->publishes, 0u);
	atomic_init(&h->pin_waits, 0u);
	PRS_CACHE_CLEAN(h, sizeof(*h));
	/*
	 * Initialization: the handle is handed to other CPUs by the kernel
	 * (thread creation), which orders it after this store; seq_cst for
	 * symmetry with publish.
	 */
	atomic_store_explicit(&h->word, prs_word_make(1, 0), memory_order_seq_cst);
	PRS_CACHE_CLEAN(&h->word, sizeof(h->word));
	return PRS_OK;
}
