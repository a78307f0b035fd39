/* SPDX-License-Identifier: MIT */
/*
 * The workload whose build cost is measured: one AArch32 CPU (flash and
 * kernel RAM static), a one-range RAM base, a domain of P partitions laid
 * side by side inside the base with alternating attributes (so none merge),
 * and a thread stack with its guard hole: P + 4 dynamic slots.
 */
#ifndef PRS_BUILD_COST_H
#define PRS_BUILD_COST_H

#include "prsched/build.h"

#define PRS_BC_MAX_PARTS 16u

struct prs_bc {
	struct prs_cpu_layout cpu;
	struct prs_rangeset base, dom, thr;
	struct prs_rangeset_entry base_e[1], dom_e[PRS_BC_MAX_PARTS], thr_e[2];
	const struct prs_rangeset *layers[2];
};

/* 0 on success; nparts 1..PRS_BC_MAX_PARTS. */
int prs_bc_setup(struct prs_bc *bc, unsigned nparts);

#endif
