/* SPDX-License-Identifier: MIT */
/*
 * A host user of the library: calls it, and prints the layout of the
 * structures whose shape depends on the defines the build passes
 * (PRS_MAX_*, PRS_BACKEND_HOST, PRS_CACHE_MAINT). check-install.cmake
 * compares this line between the CMake-package build and the pkg-config
 * build: a define missing from one of them changes it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/set.h"
#include "prs_gen.h" /* prs_generate_sets(): sets.txt */

int main(void)
{
	struct prs_set s;

	memset(&s, 0, sizeof(s));
	if (strcmp(prs_errname(PRS_E_ALIGN), "PRS_E_ALIGN") != 0)
		return 1;
	printf("prsched consumer: %s; set holds %d regions\n",
	       prs_strerror(PRS_E_NOSPACE), PRS_MAX_REGIONS);
	if (prs_gen_sets[PRS_GEN_THREAD_worker][PRS_GEN_CPU_k0]->ndyn != 1u)
		return 1;
	printf("layout: prs_cpu %zu image@%zu prs_set %zu prs_handle %zu\n",
	       sizeof(struct prs_cpu), offsetof(struct prs_cpu, image), sizeof(struct prs_set),
	       sizeof(struct prs_handle));
	return 0;
}
