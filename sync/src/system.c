/* SPDX-License-Identifier: MIT */
/*
 * The system: its CPUs' readers, their layout classes, and the layout of the
 * shared version pool, fixed when the first handle is created.
 */
#include <stddef.h>
#include "prsched/cache.h"
#include "prsched/error.h"
#include "prsched/publish.h"
#include "version.h"

int prs_system_init(struct prs_system *sys, const struct prs_system_config *cfg)
{
	if (!sys || !cfg)
		return PRS_E_NULL;
	if (cfg->ncpus == 0 || cfg->ncpus > PRS_MAX_CPUS || (cfg->flags & ~PRS_SYS_CHECK_PLACEMENT))
		return PRS_E_ARG;
	if (!cfg->lock != !cfg->unlock)
		return PRS_E_ARG;
#if !PRS_WRITER_EXCLUSIVES && !PRS_BARE_METAL
	if (cfg->ncpus > 1u && !cfg->lock && !cfg->cpu_id)
		return PRS_E_ARG; /* no way to serialize writers (publish.h) */
#endif
	if (!cfg->reload)
		return PRS_E_NORELOAD;
	if (!cfg->pool || ((uintptr_t)cfg->pool & (PRS_CACHE_LINE - 1u)) || !cfg->pool_bytes)
		return PRS_E_POOL;
	sys->cfg = *cfg;
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++) {
		sys->rd[k] = NULL;
		sys->cls_of[k] = 0;
	}
	sys->nclasses = 0;
	sys->started = 0;
	sys->pool = (unsigned char *)cfg->pool;
	sys->vstride = 0;
	sys->nversions = 0;
	sys->handles = 0;
	sys->building = NULL;
	atomic_init(&sys->lock, 0u);
	sys->lock_cpu = 0;
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++) {
		atomic_init(&sys->level[k], 0u);
		atomic_init(&sys->victim[k], 0u);
	}
	atomic_init(&sys->publishes, 0u);
	atomic_init(&sys->pin_waits, 0u);
	return PRS_OK;
}

/* Same class: same static map and the very same dynamic base layer. */
static int same_layout(const struct prs_cpu_layout *a, const struct prs_cpu_layout *b)
{
	if (a->arch != b->arch || a->nregions != b->nregions || a->nstatic != b->nstatic ||
	    prs_layout_capacity(a) != prs_layout_capacity(b) ||
	    a->base != b->base || a->home_set != b->home_set || a->home != b->home)
		return 0;
	for (unsigned i = 0; i < a->nstatic; i++) {
		const struct prs_region *x = &a->statics[i], *y = &b->statics[i];

		if (x->base != y->base || x->limit != y->limit || x->perm != y->perm ||
		    x->memtype != y->memtype || x->share != y->share)
			return 0;
	}
	return 1;
}

/*
 * The home gap (gap g lies above exactly g static regions): the one holding
 * the layout's home address (prs_layout_set_home), else the base layer's
 * first range, else the widest. Sets whose regions all lie there take the
 * switch's blind copy. Disabled slots keep a PRBAR inside it (the residue:
 * the gap's first byte).
 */
static void choose_home(struct prs_class *c)
{
	const struct prs_cpu_layout *lay = c->layout;
	int hint = lay->home_set || (lay->base && lay->base->n);
	uint64_t want = lay->home_set ? lay->home : hint ? lay->base->e[0].r.base : 0;
	uint64_t top = c->image.arch == PRS_ARCH_AARCH64 && sizeof(prs_reg_t) >= 8
			       ? 0x0000FFFFFFFFFFFFull
			       : 0xFFFFFFFFull;
	uint64_t b[PRS_MAX_REGIONS], l[PRS_MAX_REGIONS], lo = 0, best = 0;
	unsigned n = 0;

	/* The static spans sorted by base (insertion: at most 32). */
	for (unsigned j = 0; j < c->image.nstatic && j < PRS_MAX_REGIONS; j++) {
		uint64_t bj, lj;
		unsigned i = n;

		(void)prs_reg_span((enum prs_arch)c->image.arch, c->image.prbar[j],
				   c->image.prlar[j], &bj, &lj);
		for (; i > 0 && b[i - 1u] > bj; i--) {
			b[i] = b[i - 1u];
			l[i] = l[i - 1u];
		}
		b[i] = bj;
		l[i] = lj;
		n++;
	}
	c->home = 0;
	c->residue = 0;
	for (unsigned g = 0; g <= n; g++) {
		uint64_t hi = g < n ? b[g] : top + 1u; /* exclusive */

		if (hint ? (want >= lo && want < hi) : (hi > lo && hi - lo > best)) {
			best = hi - lo;
			c->home = (uint8_t)g;
			c->residue = (prs_reg_t)lo;
		}
		if (g < n)
			lo = l[g] + 1u;
	}
}

int prs_system_add_cpu(struct prs_system *sys, struct prs_reader *rd, unsigned id,
		       const struct prs_cpu_layout *layout)
{
	unsigned k;

	if (!sys || !rd || !layout)
		return PRS_E_NULL;
	if (sys->started)
		return PRS_E_STARTED;
	if (id >= sys->cfg.ncpus || sys->rd[id])
		return PRS_E_ARG;
	for (k = 0; k < sys->nclasses; k++)
		if (same_layout(sys->cls[k].layout, layout))
			break;
	if (k == sys->nclasses) {
		struct prs_class *c = &sys->cls[k];
		int err = prs_layout_image(layout, &c->image);

		if (err != PRS_OK)
			return err;
		c->layout = layout;
		c->cap = (uint8_t)prs_layout_capacity(layout); /* fixed with the pool layout */
		choose_home(c);
		sys->nclasses++;
	}
	sys->cls_of[id] = (uint8_t)k;
	sys->rd[id] = rd;
	rd->id = id;
	return PRS_OK;
}

/* Fix the pool layout: per class its set's offset, the version stride. */
int prs_system_start(struct prs_system *sys)
{
	uint32_t off = (uint32_t)sizeof(struct prs_vhdr), nv;
	int err;

	if (sys->started)
		return PRS_OK;
	for (unsigned k = 0; k < sys->cfg.ncpus; k++)
		if (!sys->rd[k])
			return PRS_E_NOCPU;
	for (unsigned c = 0; c < sys->nclasses; c++) {
		sys->cls[c].off = off;
		off += prs_vset_bytes((unsigned)sys->cls[c].cap - sys->cls[c].image.nstatic);
	}
	sys->vstride = (off + PRS_CACHE_LINE - 1u) / PRS_CACHE_LINE * PRS_CACHE_LINE;
	nv = (uint32_t)(sys->cfg.pool_bytes / sys->vstride);
	if (nv > PRS_MAX_VERSIONS)
		nv = PRS_MAX_VERSIONS;
	if (nv < sys->cfg.ncpus + 2u)
		return PRS_E_POOL; /* not even one handle fits the bound */
	sys->nversions = nv;
	for (uint32_t v = 0; v < sys->nversions; v++) {
		struct prs_vhdr *h = prs_vhdr_of(sys, v);

		h->owner = NULL;
		h->epoch = 0;
		h->cur = 0;
		h->pad = NULL;
	}
	for (unsigned k = 0; k < sys->cfg.ncpus; k++) {
		struct prs_reader *rd = sys->rd[k];
		const struct prs_class *c = &sys->cls[sys->cls_of[k]];

		rd->vset = (uintptr_t)sys->pool + c->off;
		rd->vstride = sys->vstride;
		rd->vbytes = prs_vset_bytes((unsigned)c->cap - c->image.nstatic);
		PRS_CACHE_CLEAN(rd, sizeof(*rd));
	}
	err = prs_placed(sys, sys->pool, (uint64_t)sys->nversions * sys->vstride);
	if (err != PRS_OK)
		return err;
	sys->started = 1;
	return PRS_OK;
}

uint32_t prs_system_versions(const struct prs_system *sys)
{
	return sys && sys->started ? sys->nversions : 0u;
}

struct prs_set *prs_version_set(struct prs_version *v, const struct prs_system *sys,
				unsigned cpu)
{
	return &v->set[sys->cls_of[cpu < PRS_MAX_CPUS ? cpu : 0u]];
}

int prs_placed(const struct prs_system *sys, const void *p, uint64_t n)
{
	if (!(sys->cfg.flags & PRS_SYS_CHECK_PLACEMENT))
		return PRS_OK;
	for (unsigned c = 0; c < sys->nclasses; c++)
		if (prs_static_covers(sys, &sys->cls[c].image, p, n, 0) != PRS_OK)
			return PRS_E_PLACEMENT;
	return PRS_OK;
}

/* Shareable, or a MAIR type with no cache allocation (Device, Normal Non-cacheable). */
static int coherent(const struct prs_system *sys, const struct prs_region *r)
{
	unsigned attr = (unsigned)(sys->cfg.mair >> (8u * r->memtype)) & 0xFFu;

	return r->share >= PRS_SH_OUTER || (attr & 0xF0u) == 0 || attr == 0x44u;
}

int prs_static_covers(const struct prs_system *sys, const struct prs_set *image,
		      const void *p, uint64_t n, int need_write)
{
	uint64_t lo = (uint64_t)(uintptr_t)p, hi = lo + n - 1u;

	for (unsigned i = 0; i < image->nstatic && i < PRS_MAX_REGIONS; i++) {
		struct prs_region r;

		if (prs_region_decode((enum prs_arch)image->arch, image->prbar[i], image->prlar[i],
				      &r) != PRS_OK ||
		    lo < r.base || hi > r.limit)
			continue;
		if ((need_write && !(r.perm & PRS_EL1_W)) || !coherent(sys, &r))
			continue;
		return PRS_OK;
	}
	return PRS_E_PLACEMENT;
}
