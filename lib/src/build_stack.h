/* SPDX-License-Identifier: MIT */
/*
 * Internal to lib/src: the layer stack one build (or one admission check)
 * walks, shared by build.c and admit.c so both validate and look up entries
 * the same way.
 */
#ifndef PRS_BUILD_STACK_H
#define PRS_BUILD_STACK_H

#include <stdint.h>
#include "prsched/build.h"

/* The layers of one build, outermost first: the CPU's base (if any), then layers[]. */
struct prs_stack {
	const struct prs_rangeset *l[PRS_MAX_LAYERS + 1u];
	unsigned n;
};

/* Fill st from the base and layers[] (PRS_E_ARG, PRS_E_NULL); nothing checked. */
int prs_stack_init(struct prs_stack *st, const struct prs_cpu_layout *cpu,
		   const struct prs_rangeset *const *layers, unsigned nlayers);

/* prs_stack_init plus every check prs_set_build makes before it sweeps. */
int prs_stack_prepare(struct prs_stack *st, const struct prs_cpu_layout *cpu,
		      const struct prs_rangeset *const *layers, unsigned nlayers);

/*
 * The entry of s covering address x, or NULL. Lowers *next (0 = unset) to
 * the first address above x where that answer can change, if s has one.
 */
const struct prs_range *prs_layer_at(const struct prs_rangeset *s, uint64_t x, uint64_t *next);

#endif
