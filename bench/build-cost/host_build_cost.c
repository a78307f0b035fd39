/* SPDX-License-Identifier: MIT */
/*
 * prs-build-cost <partitions> <builds>: set up the workload, then call
 * prs_set_build <builds> times. Run under
 *   valgrind --tool=callgrind --toggle-collect=prs_set_build
 * the collected instruction count divided by <builds> is the cost of one
 * build (setup excluded; callgrind counts are deterministic).
 */
#include <stdio.h>
#include <stdlib.h>
#include "build_cost.h"
#include "prsched/error.h"

static struct prs_bc bc;
static struct prs_set out;

int main(int argc, char **argv)
{
	unsigned long parts, builds;

	if (argc != 3) {
		(void)fprintf(stderr, "usage: %s <partitions 1..16> <builds>\n", argv[0]);
		return 2;
	}
	parts = strtoul(argv[1], NULL, 0);
	builds = strtoul(argv[2], NULL, 0);
	if (prs_bc_setup(&bc, (unsigned)parts) != PRS_OK) {
		(void)fprintf(stderr, "setup failed for %lu partitions\n", parts);
		return 1;
	}
	for (unsigned long i = 0; i < builds; i++)
		if (prs_set_build(&bc.cpu, bc.layers, 2, &out) != PRS_OK) {
			(void)fprintf(stderr, "build failed\n");
			return 1;
		}
	printf("partitions %lu: %u dynamic slots\n", parts, out.ndyn);
	return 0;
}
