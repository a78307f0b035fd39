/* SPDX-License-Identifier: MIT */
/* Publication of prs-gen's sets at boot, the whole of it (prsched/gen_boot.h). */
#include "prsched/gen_boot.h"
#include "prsched/error.h"

static int same_set(const struct prs_set *a, const struct prs_set *b)
{
	if (a->nslots != b->nslots || a->nstatic != b->nstatic || a->ndyn != b->ndyn)
		return 0;
	for (unsigned i = 0; i < PRS_MAX_SET_REGIONS; i++)
		if (a->prbar[i] != b->prbar[i] || a->prlar[i] != b->prlar[i])
			return 0;
	return 1;
}

int prs_gen_publish(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_set *const *thread_sets, unsigned ncpus,
		    struct prs_version *scratch)
{
	if (!h || !sys || !thread_sets || !scratch)
		return PRS_E_NULL;
	if (ncpus != sys->cfg.ncpus)
		return PRS_E_ARG;
	for (unsigned c = 0; c < ncpus; c++)
		if (!thread_sets[c])
			return PRS_E_NULL;
	/* CPUs of one class share a set: the generated ones must agree. */
	for (unsigned c = 0; c < ncpus; c++)
		for (unsigned d = 0; d < c; d++)
			if (sys->cls_of[d] == sys->cls_of[c] &&
			    !same_set(thread_sets[d], thread_sets[c]))
				return PRS_E_ARG;
	for (unsigned c = 0; c < ncpus; c++)
		*prs_version_set(scratch, sys, c) = *thread_sets[c];
	return prs_handle_init(h, sys, scratch);
}
