/* SPDX-License-Identifier: MIT */
/* Publication of prs-gen's sets at boot, the whole of it (prsched/gen_boot.h). */
#include "prsched/gen_boot.h"
#include "prsched/error.h"

int prs_gen_publish(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_set *const *thread_sets, unsigned ncpus,
		    struct prs_version *scratch)
{
	if (!h || !sys || !thread_sets || !scratch)
		return PRS_E_NULL;
	if (ncpus != sys->cfg.ncpus)
		return PRS_E_ARG;
	for (unsigned c = 0; c < ncpus; c++) {
		if (!thread_sets[c])
			return PRS_E_NULL;
		*prs_version_set(scratch, c) = *thread_sets[c];
	}
	return prs_handle_init(h, sys, scratch);
}
