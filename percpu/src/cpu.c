/* SPDX-License-Identifier: MIT */
/* Per-CPU initialization. */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "../../sync/src/version.h"

int prs_cpu_init(struct prs_system *sys, struct prs_cpu *c, unsigned id,
		 const struct prs_cpu_layout *layout)
{
	struct prs_set image;
	int err;

	if (!sys || !c || !layout)
		return PRS_E_NULL;
	err = prs_layout_image(layout, &image);
	if (err != PRS_OK)
		return err;
	if (image.nslots % PRS_COPY_STEP)
		return PRS_E_LAYOUT; /* the copy would write a slot past the last */
#if defined(PRS_NSTATIC)
	if (image.nstatic != PRS_NSTATIC)
		return PRS_E_LAYOUT; /* the copy starts at slot PRS_NSTATIC */
#endif
	if ((sys->cfg.flags & PRS_SYS_CHECK_PLACEMENT) &&
	    prs_static_covers(sys, &image, c, sizeof(*c), 1) != PRS_OK)
		return PRS_E_PLACEMENT;
	err = prs_system_add_cpu(sys, &c->rd, id, layout);
	if (err != PRS_OK)
		return err; /* *c untouched: it may be a CPU added before */
	atomic_init(&c->rd.ann_h, NULL);
	atomic_init(&c->rd.ann_w, 0u);
	atomic_init(&c->rd.loaded_h, NULL);
	atomic_init(&c->rd.loaded_w, 0u);
	c->rd.vset = 0;
	c->rd.vstride = 0;
	c->rd.vbytes = 0;
	c->nstatic = image.nstatic;
	/* Unknown dynamic slots: the first copy takes the ordered path over all of them. */
	c->state = image.nslots | PRS_KEY_AWAY;
	c->arch = image.arch;
	c->victim = image.nstatic;
	c->hw = NULL;
	atomic_init(&c->stats.fast, 0u);
	atomic_init(&c->stats.slow, 0u);
	atomic_init(&c->stats.reloads, 0u);
	atomic_init(&c->stats.reload_copies, 0u);
	atomic_init(&c->stats.mpu_writes, 0u);
	atomic_init(&c->stats.barriers, 0u);
	atomic_init(&c->stats.faults, 0u);
	atomic_init(&c->stats.fault_ins, 0u);
	return PRS_OK;
}

uint32_t prs_cpu_switches(const struct prs_cpu *c)
{
	return atomic_load_explicit(&c->stats.fast, memory_order_relaxed) +
	       atomic_load_explicit(&c->stats.slow, memory_order_relaxed);
}
