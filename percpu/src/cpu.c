/* SPDX-License-Identifier: MIT */
/* System and per-CPU initialization, and the placement checks (invariant 8). */
#include <stddef.h>
#include "prsched/error.h"
#include "prsched/percpu.h"

#define A32_ADDR 0xFFFFFFC0ull
#define A64_ADDR 0x0000FFFFFFFFFFC0ull

int prs_system_init(struct prs_system *sys, const struct prs_system_config *cfg)
{
	if (!sys || !cfg)
		return PRS_E_NULL;
	if (cfg->ncpus == 0 || cfg->ncpus > PRS_MAX_CPUS || (cfg->flags & ~PRS_SYS_CHECK_PLACEMENT))
		return PRS_E_ARG;
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++)
		sys->cpu[k] = NULL;
	sys->cfg = *cfg;
	return PRS_OK;
}

int prs_slot_decode(const struct prs_set *s, unsigned slot, struct prs_slot_info *out)
{
	uint64_t bar = s->prbar[slot], lar = s->prlar[slot];

	if (s->arch == PRS_ARCH_AARCH64) {
		out->base = bar & A64_ADDR;
		out->limit = (lar & A64_ADDR) | 0x3Fu;
		out->el1_ro = (unsigned)(bar >> 3) & 1u;
		out->sh = (unsigned)(bar >> 4) & 3u;
	} else {
		out->base = bar & A32_ADDR;
		out->limit = (lar & A32_ADDR) | 0x3Fu;
		out->el1_ro = (unsigned)(bar >> 2) & 1u;
		out->sh = (unsigned)(bar >> 3) & 3u;
	}
	out->attr = (unsigned)(lar >> 1) & 7u;
	return (lar & 1u) != 0;
}

/* Shareable, or a MAIR type with no cache allocation (Device, Normal Non-cacheable). */
static int coherent(const struct prs_system *sys, const struct prs_slot_info *si)
{
	unsigned attr = (unsigned)(sys->cfg.mair >> (8u * si->attr)) & 0xFFu;

	return si->sh >= 2 || (attr & 0xF0u) == 0 || attr == 0x44u;
}

int prs_static_covers(const struct prs_system *sys, const struct prs_set *image,
		      const void *p, uint64_t n, int need_write)
{
	uint64_t lo = (uint64_t)(uintptr_t)p, hi = lo + n - 1;

	for (unsigned i = 0; i < image->nstatic && i < PRS_MAX_REGIONS; i++) {
		struct prs_slot_info si;

		if (!prs_slot_decode(image, i, &si) || lo < si.base || hi > si.limit)
			continue;
		if ((need_write && si.el1_ro) || !coherent(sys, &si))
			continue;
		return PRS_OK;
	}
	return PRS_E_PLACEMENT;
}

/*
 * The gap an enabled dynamic region of the image lies in (it is live, so its
 * PRBAR is what the register holds). A disabled slot's PRBAR in an image is
 * usually not the register's residue (UNKNOWN after reset): 0xFF, which
 * makes the first write to that slot take the cross-gap order.
 */
static uint8_t image_gap(const struct prs_set *image, unsigned slot)
{
	struct prs_slot_info r, st;
	unsigned gap = 0;

	if (slot >= image->nslots || !prs_slot_decode(image, slot, &r))
		return 0xFF;
	for (unsigned j = 0; j < image->nstatic; j++) {
		if (!prs_slot_decode(image, j, &st))
			continue;
		if (st.base <= r.limit && r.base <= st.limit)
			return 0xFF; /* overlaps a static region: no gap (and faults) */
		if (st.limit < r.base)
			gap++;
	}
	return (uint8_t)gap;
}

int prs_cpu_init(struct prs_system *sys, struct prs_cpu *c, unsigned id,
		 const struct prs_set *image)
{
	if (!sys || !c || !image)
		return PRS_E_NULL;
	if (id >= sys->cfg.ncpus || sys->cpu[id] || image->nslots > PRS_MAX_REGIONS ||
	    image->nslots == 0 || image->nstatic > image->nslots ||
	    image->arch > PRS_ARCH_AARCH64)
		return PRS_E_ARG;
	if ((sys->cfg.flags & PRS_SYS_CHECK_PLACEMENT) &&
	    prs_static_covers(sys, image, c, sizeof(*c), 1) != PRS_OK)
		return PRS_E_PLACEMENT;
	atomic_init(&c->ann_h, NULL);
	atomic_init(&c->ann_w, 0);
	atomic_init(&c->loaded_h, NULL);
	atomic_init(&c->loaded_w, 0);
	c->id = id;
	c->nslots = image->nslots;
	c->nstatic = image->nstatic;
	c->arch = image->arch;
	c->dyn_mask = (uint32_t)(((1ull << image->nslots) - 1u) & ~((1ull << image->nstatic) - 1u));
	atomic_init(&c->stats.fast, 0u);
	atomic_init(&c->stats.slow, 0u);
	atomic_init(&c->stats.reloads, 0u);
	atomic_init(&c->stats.reload_copies, 0u);
	atomic_init(&c->stats.mpu_writes, 0u);
	atomic_init(&c->stats.barriers, 0u);
	c->hw = NULL;
#if defined(PRS_BACKEND_HOST)
	c->hook = NULL;
	c->hook_arg = NULL;
	c->test_flags = 0;
#endif
	c->image = *image;
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		c->mpu[i][0] = image->prbar[i];
		c->mpu[i][1] = image->prlar[i];
	}
	c->hi = image->nstatic;
	c->gap_key = (uint16_t)(image->nstatic | PRS_GAP_MIXED << 8); /* no summary */
	for (unsigned i = image->nstatic; i < PRS_MAX_REGIONS; i++) {
		c->image.gap[i] = image_gap(image, i);
		if (i < image->nslots && (image->prlar[i] & 1u))
			c->hi = (uint8_t)(i + 1u);
	}
	sys->cpu[id] = c;
	return PRS_OK;
}

uint32_t prs_cpu_switches(const struct prs_cpu *c)
{
	return atomic_load_explicit(&c->stats.fast, memory_order_relaxed) +
	       atomic_load_explicit(&c->stats.slow, memory_order_relaxed);
}

void prs_cpu_shadow(const struct prs_cpu *c, struct prs_set *out)
{
	unsigned ndyn = 0;

	*out = c->image;
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		out->prbar[i] = c->mpu[i][0];
		out->prlar[i] = c->mpu[i][1];
		if (i >= c->nstatic && (c->mpu[i][1] & 1u))
			ndyn++;
	}
	out->ndyn = (uint8_t)ndyn;
}
