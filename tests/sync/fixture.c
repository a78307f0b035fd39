/* SPDX-License-Identifier: MIT */
#include "fixture.h"
#if !defined(PRS_BACKEND_HOST)
#include "prsched/mpu_readback.h"
#endif

struct prs_cpu fx_cpu[FX_CPUS];
struct fx fx_sys;
#if defined(PRS_BACKEND_HOST)
struct prs_mpu_model fx_mpu[FX_CPUS];
#endif

static const uint32_t statics[FX_NSTATIC] = { 0x10000000u, 0x20000000u, 0x30000000u,
					      0x40000000u };
#define STATIC_SIZE 0x10000u

uint32_t fx_static_base(unsigned i)
{
	return statics[i];
}

unsigned fx_gap_of(uint32_t base)
{
	unsigned g = 0;

	for (unsigned i = 0; i < FX_NSTATIC; i++)
		if (statics[i] + STATIC_SIZE - 1u < base)
			g++;
	return g;
}

uint32_t fx_gap_lo(unsigned g)
{
	return g == 0 ? 0x01000000u : statics[g - 1] + STATIC_SIZE;
}

uint32_t fx_gap_hi(unsigned g)
{
	return g == FX_NSTATIC ? 0x4FFFFFFFu : statics[g] - 1u;
}

static void reload_cb(void *ctx, uint32_t mask)
{
	struct fx *f = ctx;

	/* Orders nothing: tests read these after the commit returns, on the same thread or after a join. */
	atomic_fetch_or_explicit(&f->reload_mask, mask, memory_order_relaxed);
	atomic_fetch_add_explicit(&f->reload_calls, 1u, memory_order_relaxed);
}

static void image_init(struct prs_set *s)
{
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		s->prbar[i] = 0;
		s->prlar[i] = 0;
		s->gap[i] = 0xFF;
	}
	for (unsigned i = 0; i < FX_NSTATIC; i++) {
		s->prbar[i] = fx_prbar(statics[i], 3, 0, i != 0);
		s->prlar[i] = fx_prlar(statics[i] + STATIC_SIZE - 1u, 0);
	}
	s->nslots = FX_NSLOTS;
	s->nstatic = FX_NSTATIC;
	s->ndyn = 0;
	s->arch = PRS_ARCH_AARCH32;
}

void fx_init(unsigned ncpus, int check)
{
	struct prs_system_config cfg = { ncpus, reload_cb, &fx_sys, 0, 0 };

	image_init(&fx_sys.image);
	atomic_store(&fx_sys.reload_mask, 0u);
	atomic_store(&fx_sys.reload_calls, 0u);
	PRS_CHECK_EQ(prs_system_init(&fx_sys.sys, &cfg), PRS_OK);
	for (unsigned k = 0; k < ncpus; k++) {
		PRS_CHECK_EQ(prs_cpu_init(&fx_sys.sys, &fx_cpu[k], k, &fx_sys.image), PRS_OK);
#if defined(PRS_BACKEND_HOST)
		prs_mpu_model_init(&fx_mpu[k], &fx_sys.image);
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
	for (unsigned i = 0; i < n && FX_NSTATIC + i < FX_NSLOTS; i++) {
		unsigned slot = FX_NSTATIC + i;

		s->prbar[slot] = fx_prbar(r[i].base, r[i].sh, r[i].ap, r[i].xn);
		s->prlar[slot] = fx_prlar(r[i].limit, r[i].attr);
		s->gap[slot] = (uint8_t)fx_gap_of(r[i].base);
	}
	s->ndyn = (uint8_t)n;
}

void fx_version(struct prs_version *v, const struct fx_region *r, unsigned n)
{
	for (unsigned k = 0; k < fx_sys.sys.cfg.ncpus; k++)
		fx_set(prs_version_set(v, k), r, n);
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
	return prs_publish_commit(h, v, t);
}

int fx_mpu_holds(unsigned k, const struct prs_set *s)
{
	for (unsigned i = 0; i < FX_NSLOTS; i++) {
#if defined(PRS_BACKEND_HOST)
		const struct prs_mpu_model *m = &fx_mpu[k];
		prs_reg_t bar = m->prbar[i], lar = m->prlar[i];

		if (m->npend)
			return 0;
#else
		prs_reg_t bar = prs_mpu_read_prbar(i), lar = prs_mpu_read_prlar(i);

		(void)k;
#endif
		if (s->prlar[i] & 1u) {
			if (bar != s->prbar[i] || lar != s->prlar[i])
				return 0;
		} else if (lar & 1u) {
			return 0;
		}
	}
	return 1;
}

unsigned fx_buf_index(const struct prs_handle *h, const struct prs_version *v)
{
	return (unsigned)(v - h->buf);
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
	unsigned g0 = (unsigned)prs_rand_below(rng, FX_NSTATIC + 1);
	unsigned g1 = (unsigned)prs_rand_below(rng, FX_NSTATIC + 1);
	unsigned split = (unsigned)prs_rand_below(rng, n + 1);
	unsigned out = 0;

	if (g1 < g0) {
		unsigned t = g0;

		g0 = g1;
		g1 = t;
	}
	for (unsigned part = 0; part < 2; part++) {
		unsigned g = part ? g1 : g0, cnt = part ? n - split : split;
		/* Split the gap into cnt equal windows; one region at a random place in each. */
		uint32_t lo = fx_gap_lo(g), span = (fx_gap_hi(g) - lo + 1u) / (cnt ? cnt : 1u);

		if (g0 == g1 && part == 1) {
			cnt = n - split;
			lo = lo + (fx_gap_hi(g) - lo + 1u) / 2u;
			span = (fx_gap_hi(g) - lo + 1u) / (cnt ? cnt : 1u);
		} else if (g0 == g1 && part == 0) {
			span = ((fx_gap_hi(g) - lo + 1u) / 2u) / (cnt ? cnt : 1u);
		}
		for (unsigned i = 0; i < cnt && out < max; i++) {
			uint32_t wlo = lo + i * span;
			uint32_t blocks = span / 64u;
			uint32_t off = (uint32_t)prs_rand_below(rng, blocks / 2u + 1u) * 64u;
			uint32_t size = (1u + (uint32_t)prs_rand_below(rng, blocks / 2u)) * 64u;

			r[out].base = wlo + off;
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
