/* SPDX-License-Identifier: MIT */
#include "fixture.h"
#if !defined(PRS_BACKEND_HOST)
#include "prsched/mpu_readback.h"
#endif

struct prs_cpu fx_cpu[FX_CPUS];
struct fx fx_sys;
PRS_POOL_DEFINE(fx_pool, FX_VERSIONS, 1, 16); /* one class of <= 16 slots */
static struct prs_cpu_layout fx_layout[FX_CPUS];
#if defined(PRS_BACKEND_HOST)
struct prs_mpu_model fx_mpu[FX_CPUS];
#endif
unsigned fx_nslots, fx_nstatic, fx_ndyn;

/* Static ranges in address order (inclusive limits). */
static uint32_t st_base[PRS_MAX_REGIONS], st_limit[PRS_MAX_REGIONS];
static unsigned nst;
/* Gaps of at least 1 MiB, for random regions: [lo, hi]. */
static uint32_t gap_lo[PRS_MAX_REGIONS + 1], gap_hi[PRS_MAX_REGIONS + 1];
static unsigned ngaps;

unsigned fx_gap_of(uint32_t base)
{
	unsigned g = 0;

	for (unsigned i = 0; i < nst; i++)
		if (st_limit[i] < base)
			g++;
	return g;
}

static void reload_cb(void *ctx, uint32_t mask)
{
	struct fx *f = ctx;

	/* Orders nothing: tests read these after the commit returns, on the same thread or after a join. */
	atomic_fetch_or_explicit(&f->reload_mask, mask, memory_order_relaxed);
	atomic_fetch_add_explicit(&f->reload_calls, 1u, memory_order_relaxed);
}

/* Sort the image's enabled statics by address; list the usable gaps. */
static void learn_statics(const struct prs_set *img)
{
	uint32_t lo = 0x01000000u;

	nst = 0;
	for (unsigned i = 0; i < img->nstatic; i++) {
		uint32_t b = (uint32_t)img->prbar[i] & ~0x3Fu, l = ((uint32_t)img->prlar[i] & ~0x3Fu) | 0x3Fu;
		unsigned j = nst++;

		if (!(img->prlar[i] & 1u)) {
			nst--;
			continue;
		}
		while (j > 0 && st_base[j - 1] > b) {
			st_base[j] = st_base[j - 1];
			st_limit[j] = st_limit[j - 1];
			j--;
		}
		st_base[j] = b;
		st_limit[j] = l;
	}
	ngaps = 0;
	for (unsigned i = 0; i <= nst; i++) {
		uint32_t hi = i < nst ? st_base[i] - 1u : 0xFFFFFFBFu;

		if (hi > lo && hi - lo >= 0x100000u) {
			gap_lo[ngaps] = lo;
			gap_hi[ngaps] = hi > 0xEFFFFFFFu && lo < 0xEFFFFFFFu ? 0xEFFFFFFFu : hi;
			ngaps++;
		}
		if (i < nst && st_limit[i] + 1u > lo)
			lo = st_limit[i] + 1u;
	}
}

#if defined(PRS_BACKEND_HOST)
static const uint32_t host_statics[4] = { 0x10000000u, 0x20000000u, 0x30000000u, 0x40000000u };

static void image_init(struct prs_set *s, unsigned k)
{
	(void)k;
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		s->prbar[i] = 0;
		s->prlar[i] = 0;
		s->gap[i] = 0xFF;
	}
	for (unsigned i = 0; i < 4; i++) {
		s->prbar[i] = fx_prbar(host_statics[i], 3, 0, i != 0);
		s->prlar[i] = fx_prlar(host_statics[i] + 0xFFFFu, 0);
	}
	s->nslots = 16;
	s->nstatic = 4;
	s->ndyn = 0;
	s->arch = PRS_ARCH_AARCH32;
}

static void on_cpu(unsigned k, void (*fn)(void *), void *arg)
{
	(void)k;
	fn(arg);
}

#define FX_FLAGS 0u
#define FX_MAIR 0u
#else
#include "rt/rt.h"

/* What core k's MPU holds now: the image prs_cpu_init takes. */
static void image_init(struct prs_set *s, unsigned k)
{
	(void)k;
	s->nslots = (uint8_t)prs_mpu_read_regions();
	s->nstatic = RT_MPU_NSTATIC;
	s->ndyn = 0;
	s->arch = PRS_ARCH_AARCH32;
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		s->prbar[i] = i < s->nslots ? prs_mpu_read_prbar(i) : 0;
		s->prlar[i] = i < s->nslots ? prs_mpu_read_prlar(i) : 0;
		s->gap[i] = 0xFF;
	}
}

static void on_cpu(unsigned k, void (*fn)(void *), void *arg)
{
	if (k == rt_cpu_id()) {
		fn(arg);
		return;
	}
	rt_cpu_wait_idle(k);
	if (rt_start_cpu(k, fn, arg) != 0) {
		prs_test_fail(__FILE__, __LINE__, "core not up (run with -smp 2)");
		return;
	}
	rt_cpu_wait_idle(k);
}

#define FX_FLAGS PRS_SYS_CHECK_PLACEMENT
#define FX_MAIR ((uint64_t)RT_MAIR0_VALUE | ((uint64_t)RT_MAIR1_VALUE << 32))
#endif

struct fx_call {
	unsigned k;
	struct prs_handle *h;
	const struct prs_set *s;
	int ret;
	struct prs_set img;
};

static void call_switch(void *arg)
{
	struct fx_call *c = arg;

	prs_switch(&fx_cpu[c->k], c->h);
}

static void call_reload(void *arg)
{
	struct fx_call *c = arg;

	prs_reload(&fx_cpu[c->k]);
}

static void call_image(void *arg)
{
	struct fx_call *c = arg;

	image_init(&c->img, c->k);
}

void fx_switch(unsigned k, struct prs_handle *h)
{
	struct fx_call c = { k, h, NULL, 0, { { 0 }, { 0 }, { 0 }, 0, 0, 0, 0 } };

	on_cpu(k, call_switch, &c);
}

void fx_reload(unsigned k)
{
	struct fx_call c = { k, NULL, NULL, 0, { { 0 }, { 0 }, { 0 }, 0, 0, 0, 0 } };

	on_cpu(k, call_reload, &c);
}

/* The layout whose static image is img (statics decoded back into ranges). */
static void layout_of(const struct prs_set *img, struct prs_cpu_layout *l)
{
	struct prs_range st[PRS_MAX_REGIONS];

	for (unsigned i = 0; i < img->nstatic; i++) {
		struct prs_region r;

		PRS_CHECK_EQ(prs_region_decode((enum prs_arch)img->arch, img->prbar[i], img->prlar[i],
					       &r),
			     PRS_OK);
		st[i] = (struct prs_range){ r.base, r.limit - r.base + 1u, r.perm, r.memtype, r.share,
					    r.opts };
	}
	PRS_CHECK_EQ(prs_layout_init(l, (enum prs_arch)img->arch, img->nslots, st, img->nstatic,
				     NULL),
		     PRS_OK);
	/* Test regions mostly lie at 0x10100000.. (see fixture.h): the blind copy's gap. */
	PRS_CHECK_EQ(prs_layout_set_home(l, FX_HOME), PRS_OK);
}

void (*fx_tweak)(struct prs_system_config *cfg);

void fx_init(unsigned ncpus, int check)
{
	struct prs_system_config cfg = { .ncpus = ncpus, .reload = reload_cb, .ctx = &fx_sys,
					 .flags = FX_FLAGS, .mair = FX_MAIR, .pool = fx_pool,
					 .pool_bytes = sizeof(fx_pool) };
	static struct fx_call c;

	if (fx_tweak)
		fx_tweak(&cfg);
	atomic_store(&fx_sys.reload_mask, 0u);
	atomic_store(&fx_sys.reload_calls, 0u);
	PRS_CHECK_EQ(prs_system_init(&fx_sys.sys, &cfg), PRS_OK);
	for (unsigned k = 0; k < ncpus; k++) {
		c.k = k;
		on_cpu(k, call_image, &c);
		if (k == 0) {
			/* The shared image: statics only. */
			fx_sys.image = c.img;
			for (unsigned i = c.img.nstatic; i < PRS_MAX_REGIONS; i++) {
				fx_sys.image.prbar[i] = 0;
				fx_sys.image.prlar[i] = 0;
			}
			fx_nslots = c.img.nslots;
			fx_nstatic = c.img.nstatic;
			fx_ndyn = fx_nslots - fx_nstatic < FX_NDYN_MAX ? fx_nslots - fx_nstatic : FX_NDYN_MAX;
			learn_statics(&fx_sys.image);
		}
		layout_of(&c.img, &fx_layout[k]);
		PRS_CHECK_EQ(prs_cpu_init(&fx_sys.sys, &fx_cpu[k], k, &fx_layout[k]), PRS_OK);
#if defined(PRS_BACKEND_HOST)
		prs_mpu_model_init(&fx_mpu[k], &c.img);
		fx_mpu[k].check = check;
		fx_cpu[k].hw = &fx_mpu[k];
#else
		(void)check;
#endif
	}
}

void fx_set(struct prs_set *s, const struct fx_region *r, unsigned n)
{
	*s = fx_sys.image;
	for (unsigned i = 0; i < n && fx_nstatic + i < fx_nslots; i++) {
		unsigned slot = fx_nstatic + i;

		s->prbar[slot] = fx_prbar(r[i].base, r[i].sh, r[i].ap, r[i].xn);
		s->prlar[slot] = fx_prlar(r[i].limit, r[i].attr);
		s->gap[slot] = (uint8_t)fx_gap_of(r[i].base);
	}
	s->ndyn = (uint8_t)n;
}

void fx_version(struct prs_version *v, const struct fx_region *r, unsigned n)
{
	for (unsigned k = 0; k < fx_sys.sys.cfg.ncpus; k++)
		fx_set(prs_version_set(v, &fx_sys.sys, k), r, n);
}

void fx_regions(struct fx_region *r, unsigned n, uint32_t base, uint32_t size, uint32_t stride,
		unsigned attr)
{
	for (unsigned i = 0; i < n; i++) {
		r[i].base = base + i * stride;
		r[i].limit = r[i].base + size - 1u;
		r[i].ap = 1;
		r[i].xn = 1;
		r[i].attr = (uint8_t)attr;
		r[i].sh = 0;
	}
}

int fx_publish(struct prs_handle *h, const struct fx_region *r, unsigned n, struct prs_ticket *t)
{
	struct prs_version *v = prs_publish_begin(h);

	fx_version(v, r, n);
	return prs_publish_commit(h, t);
}

static void call_holds(void *arg)
{
	struct fx_call *c = arg;

	c->ret = 1;
	for (unsigned i = 0; i < fx_nslots; i++) {
#if defined(PRS_BACKEND_HOST)
		const struct prs_mpu_model *m = &fx_mpu[c->k];
		prs_reg_t bar = m->prbar[i], lar = m->prlar[i];

		if (m->npend)
			c->ret = 0;
#else
		prs_reg_t bar = prs_mpu_read_prbar(i), lar = prs_mpu_read_prlar(i);
#endif
		if (c->s->prlar[i] & 1u) {
			if (bar != c->s->prbar[i] || lar != c->s->prlar[i])
				c->ret = 0;
		} else if (lar & 1u) {
			c->ret = 0;
		}
	}
}

int fx_mpu_holds(unsigned k, const struct prs_set *s)
{
	struct fx_call c; /* per call: reader threads use this concurrently on the host */

	c.k = k;
	c.s = s;
	c.ret = 0;
	on_cpu(k, call_holds, &c);
	return c.ret;
}

unsigned fx_tagged(struct fx_region *r, unsigned tag)
{
	unsigned n = 1 + tag % 4;

	fx_regions(r, n, 0x10100000u + tag * 0x100000u, 0x1000u, 0x10000u, tag & 7u);
	return n;
}

void fx_publish_tag(struct prs_handle *h, unsigned tag, struct prs_ticket *t)
{
	struct fx_region r[8];
	unsigned n = fx_tagged(r, tag);

	PRS_CHECK_EQ(fx_publish(h, r, n, t), PRS_OK);
}

int fx_holds_tag(unsigned k, unsigned tag)
{
	struct fx_region r[8];
	struct prs_set s;

	fx_set(&s, r, fx_tagged(r, tag));
	return fx_mpu_holds(k, &s);
}

void fx_current(struct prs_handle *h, unsigned k, struct prs_set *out)
{
	struct prs_version *v = prs_publish_begin(h);

	*out = *prs_version_set(v, &fx_sys.sys, k);
	prs_publish_abort(h);
}

unsigned fx_version_of(const struct prs_handle *h)
{
	return prs_word_index(atomic_load(&h->word));
}

uint32_t fx_writes(unsigned k)
{
	return atomic_load(&fx_cpu[k].stats.mpu_writes);
}

uint32_t fx_barriers(unsigned k)
{
	return atomic_load(&fx_cpu[k].stats.barriers);
}

unsigned fx_random_regions(uint64_t *rng, struct fx_region *r, unsigned max)
{
	unsigned n = 1 + (unsigned)prs_rand_below(rng, max);
	unsigned g0 = (unsigned)prs_rand_below(rng, ngaps);
	unsigned g1 = (unsigned)prs_rand_below(rng, ngaps);
	unsigned split = g0 == g1 ? n : (unsigned)prs_rand_below(rng, n + 1);
	unsigned out = 0;

	if (g1 < g0) {
		unsigned t = g0;

		g0 = g1;
		g1 = t;
	}
	for (unsigned part = 0; part < 2; part++) {
		unsigned g = part ? g1 : g0, cnt = part ? n - split : split;
		/* cnt equal windows of the gap; one region at a random place in each. */
		uint32_t lo = gap_lo[g], span = cnt ? (gap_hi[g] - lo) / cnt : 0;

		for (unsigned i = 0; i < cnt && out < max; i++) {
			uint32_t blocks = span / 64u;
			uint32_t off = (uint32_t)prs_rand_below(rng, blocks / 2u + 1u) * 64u;
			uint32_t size = (1u + (uint32_t)prs_rand_below(rng, blocks / 2u)) * 64u;

			r[out].base = lo + i * span + off;
			r[out].limit = r[out].base + size - 1u;
			r[out].ap = (uint8_t)prs_rand_below(rng, 4);
			r[out].xn = 1;
			r[out].attr = (uint8_t)prs_rand_below(rng, 8);
			r[out].sh = 0;
			out++;
		}
	}
	return out;
}
