/* SPDX-License-Identifier: MIT */
/*
 * Versions: the check every staged set passes before it may be published --
 * the facts the switch path's write-order argument relies on
 * (percpu/src/copy.c), verified off the switch path -- and the encoding of
 * a full struct prs_set into a class set of the pool and back.
 */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/publish.h"
#include "version.h"

struct span {
	uint64_t base, limit;
};

static int span_of(const struct prs_set *s, unsigned i, struct span *out)
{
	return prs_reg_span((enum prs_arch)s->arch, s->prbar[i], s->prlar[i], &out->base,
			    &out->limit);
}

static int overlap(const struct span *a, const struct span *b)
{
	return a->base <= b->limit && b->base <= a->limit;
}

/* Slot i of s (enabled, dynamic) against the statics and the slots below it. */
static int check_dynamic(const struct prs_class *c, const struct prs_set *s, unsigned i)
{
	const struct prs_set *image = &c->image;
	struct span r, o;

	(void)span_of(s, i, &r);
	/* Covers nothing; and prs_fault's look-up tests base <= addr <= limit in one compare. */
	if (r.limit < r.base)
		return PRS_E_EMPTY;
	for (unsigned j = 0; j < image->nstatic; j++)
		if (span_of(image, j, &o) && overlap(&r, &o))
			return PRS_E_STATIC;
	if (s->gap[i] != prs_layout_gap(c->layout, r.base))
		return PRS_E_ARG;
	for (unsigned j = image->nstatic; j < i; j++)
		if (span_of(s, j, &o) && overlap(&r, &o))
			return PRS_E_CONFLICT;
	return PRS_OK;
}

static int check_set(const struct prs_class *c, const struct prs_set *s)
{
	const struct prs_set *image = &c->image;
	unsigned end = (unsigned)s->nstatic + s->ndyn, cap = c->cap;

	if (s->nslots != image->nslots || s->nstatic != image->nstatic || s->arch != image->arch)
		return PRS_E_ARG;
	for (unsigned i = 0; i < image->nstatic; i++)
		if (s->prbar[i] != image->prbar[i] || s->prlar[i] != image->prlar[i])
			return PRS_E_STATIC;
	for (unsigned i = cap; i < PRS_MAX_SET_REGIONS; i++)
		if (s->prbar[i] || s->prlar[i])
			return PRS_E_ARG;
	if (end > cap)
		return PRS_E_ARG;
	for (unsigned i = image->nstatic; i < cap; i++) {
		int err;

		/* Enabled dynamic slots are exactly [nstatic, end): the switch relies on it. */
		if ((s->prlar[i] & 1u) != (i < end))
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
	for (unsigned k = 0; k < sys->cfg.ncpus; k++)
		if (!sys->rd[k])
			return PRS_E_NOCPU;
	for (unsigned c = 0; c < sys->nclasses; c++) {
		int err = check_set(&sys->cls[c], &v->set[c]);

		if (err != PRS_OK)
			return err;
	}
	return PRS_OK;
}

void prs_vset_encode(const struct prs_class *c, const struct prs_set *s, struct prs_vset *vs)
{
	unsigned lo = c->image.nstatic, end = lo + s->ndyn, cap = c->cap;
	uint32_t key = (end < c->image.nslots ? end : c->image.nslots) |
		       (uint32_t)end << PRS_KEY_TOTAL_SHIFT;

	for (unsigned i = lo; i < cap; i++) {
		prs_reg_t *p = vs->pair[i - lo];

		if (i < end) {
			p[0] = s->prbar[i];
			p[1] = s->prlar[i];
			if (s->gap[i] != c->home)
				key |= PRS_KEY_AWAY;
		} else {
			p[0] = c->residue;
			p[1] = 0;
		}
	}
	vs->key = key;
	vs->pad = 0;
}

void prs_vset_decode(const struct prs_class *c, const struct prs_vset *vs, struct prs_set *s)
{
	unsigned lo = c->image.nstatic, end = (vs->key >> PRS_KEY_TOTAL_SHIFT) & PRS_KEY_END;

	*s = c->image;
	for (unsigned i = lo; i < end; i++) {
		struct span r;

		s->prbar[i] = vs->pair[i - lo][0];
		s->prlar[i] = vs->pair[i - lo][1];
		(void)span_of(s, i, &r);
		s->gap[i] = prs_layout_gap(c->layout, r.base);
	}
	s->ndyn = (uint8_t)(end - lo);
}
