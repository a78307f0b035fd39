/* SPDX-License-Identifier: MIT */
#include "build_cost.h"
#include "prsched/error.h"

static const struct prs_range prs_bc_statics[] = {
	{ 0x00000000u, 0x00100000u, PRS_EL1_R | PRS_EXEC, 0, PRS_SH_NONE, 0 },
	{ 0x20000000u, 0x00100000u, PRS_EL1_R | PRS_EL1_W, 1, PRS_SH_INNER, 0 },
};

int prs_bc_setup(struct prs_bc *bc, unsigned nparts)
{
	const uint8_t rwrw = PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W;
	struct prs_range r = { 0x20100000u, 0x00700000u, PRS_EL1_R | PRS_EL1_W, 1, PRS_SH_INNER, 0 };
	int err = 0;

	if (nparts < 1 || nparts > PRS_BC_MAX_PARTS)
		return PRS_E_ARG;
	err |= prs_rangeset_init(&bc->base, bc->base_e, 1, PRS_ARCH_AARCH32);
	err |= prs_rangeset_init(&bc->dom, bc->dom_e, PRS_BC_MAX_PARTS, PRS_ARCH_AARCH32);
	err |= prs_rangeset_init(&bc->thr, bc->thr_e, 2, PRS_ARCH_AARCH32);
	err |= prs_rangeset_add(&bc->base, &r);
	for (unsigned i = 0; i < nparts; i++) {
		struct prs_range p = { 0x20300000u + 0x1000u * i, 0x1000u,
				       (i & 1u) ? (uint8_t)(PRS_EL1_R | PRS_EL0_R) : rwrw, 1,
				       PRS_SH_INNER, 0 };

		err |= prs_rangeset_add(&bc->dom, &p);
	}
	r = (struct prs_range){ 0x20400000u - 256u, 256u, 0, 1, PRS_SH_INNER, 0 };
	err |= prs_rangeset_add(&bc->thr, &r);
	r = (struct prs_range){ 0x20400000u, 0x2000u, rwrw, 1, PRS_SH_INNER, 0 };
	err |= prs_rangeset_add(&bc->thr, &r);
	err |= prs_layout_init(&bc->cpu, PRS_ARCH_AARCH32, PRS_MAX_REGIONS, prs_bc_statics, 2,
			       &bc->base);
	bc->layers[0] = &bc->dom;
	bc->layers[1] = &bc->thr;
	return err ? PRS_E_ARG : PRS_OK;
}
