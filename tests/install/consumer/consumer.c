/* SPDX-License-Identifier: MIT */
/* A kernel-side user of the installed package: links and calls the API. */
#include <stdio.h>
#include <string.h>
#include "prsched/error.h"
#include "prsched/set.h"

int main(void)
{
	struct prs_set s;

	memset(&s, 0, sizeof(s));
	if (strcmp(prs_errname(PRS_E_ALIGN), "PRS_E_ALIGN") != 0)
		return 1;
	printf("prsched consumer: %s; set holds %d regions\n",
	       prs_strerror(PRS_E_NOSPACE), PRS_MAX_REGIONS);
	return 0;
}
