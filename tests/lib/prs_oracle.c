/* SPDX-License-Identifier: MIT */
/* Oracle for prs_set_build: granule painting, independent of the sweep. */
#include "prs_oracle.h"
#include "prsched/error.h"

/* What one granule grants after painting: valid == 0 means nothing. */
struct prs_cell {
	uint8_t valid, perm, memtype, share;
};

static struct prs_cell prs_map[PRS_ORACLE_GRANULES];

static uint64_t prs_pick(const struct prs_oracle_src *src, uint64_t n)
{
	return n ? src->next(src->ctx) % n : 0;
}

/* Permissions the generator uses: holes, every AP shape, exec variants. */
static const uint8_t prs_perms[] = {
	0,
	PRS_EL1_R,
	PRS_EL1_R | PRS_EL1_W,
	PRS_EL1_R | PRS_EL0_R,
	PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W,
	PRS_EL1_R | PRS_EXEC,
	PRS_EL1_R | PRS_EL0_R | PRS_EXEC,
	PRS_EL1_R | PRS_EL1_W | PRS_EXEC, /* with PRS_OPT_ALLOW_WX */
	PRS_EL1_R | PRS_EL1_W,            /* twice: RW data is the common case */
};

static void prs_pick_attrs(struct prs_range *r, const struct prs_oracle_src *src, int hole_ok)
{
	static const uint8_t shares[] = { PRS_SH_NONE, PRS_SH_INNER, PRS_SH_INNER, PRS_SH_OUTER };

	r->perm = prs_perms[prs_pick(src, sizeof(prs_perms))];
	if (!hole_ok && r->perm == 0)
		r->perm = PRS_EL1_R; /* no retry loop: fuzzer input may be all zeros */
	r->memtype = (uint8_t)prs_pick(src, 3);
	r->share = shares[prs_pick(src, sizeof(shares))];
	r->opts = (r->perm & PRS_EXEC) && (r->perm & PRS_EL1_W) ? (uint8_t)PRS_OPT_ALLOW_WX : 0u;
}

static int prs_ranges_overlap(const struct prs_range *a, const struct prs_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static int prs_hits_static(const struct prs_oracle_case *c, const struct prs_range *r)
{
	for (unsigned j = 0; j < c->nstatic; j++)
		if (prs_ranges_overlap(r, &c->statics[j]))
			return 1;
	return 0;
}

/* A span of the window: mostly short, sometimes long. */
static void prs_pick_span(const struct prs_oracle_case *c, struct prs_range *r,
			  const struct prs_oracle_src *src)
{
	uint64_t maxlen = prs_pick(src, 4) ? c->ngran / 8u + 1u : c->ngran;
	uint64_t len = 1u + prs_pick(src, maxlen);
	uint64_t g = prs_pick(src, c->ngran - len + 1u);

	r->base = c->window + g * PRS_GRANULE;
	r->size = len * PRS_GRANULE;
}

static void prs_gen_statics(struct prs_oracle_case *c, const struct prs_oracle_src *src)
{
	unsigned want = (unsigned)prs_pick(src, PRS_ORACLE_STATICS + 1u);

	if (want > c->nregions - 1u)
		want = c->nregions - 1u;
	c->nstatic = 0;
	for (unsigned tries = 0; c->nstatic < want && tries < 4u * PRS_ORACLE_STATICS; tries++) {
		struct prs_range r;

		prs_pick_span(c, &r, src);
		if (r.size > 16u * PRS_GRANULE)
			r.size = 16u * PRS_GRANULE;
		prs_pick_attrs(&r, src, 0);
		if (!prs_hits_static(c, &r))
			c->statics[c->nstatic++] = r;
	}
}

/* prs_rangeset_add's verdict, predicted from the entries already there. */
static int prs_expect_add(const struct prs_rangeset *s, const struct prs_range *r)
{
	for (unsigned i = 0; i < s->n; i++) {
		const struct prs_range *e = &s->e[i].r;

		if (e->base == r->base && e->size == r->size) {
			if (e->memtype != r->memtype)
				return PRS_E_TYPECHG;
			if (e->perm != r->perm || e->share != r->share || e->opts != r->opts)
				return PRS_E_ATTRCHG;
			return PRS_OK;
		}
		if (prs_ranges_overlap(e, r))
			return PRS_E_CONFLICT;
	}
	return s->n < s->cap ? PRS_OK : PRS_E_FULL;
}

/* Raw insert, bypassing prs_rangeset_add, keeping entries sorted by base:
 * lets overlaps reach the builder, which must refuse them. */
static void prs_raw_insert(struct prs_rangeset *s, const struct prs_range *r)
{
	unsigned at = s->n;

	if (s->n >= s->cap)
		return;
	while (at > 0 && s->e[at - 1u].r.base > r->base) {
		s->e[at] = s->e[at - 1u];
		at--;
	}
	s->e[at].r = *r;
	s->e[at].refs = 1;
	s->n++;
}

/* Add, checking the verdict against a prediction made before the call. */
static int prs_checked_add(struct prs_oracle_case *c, struct prs_rangeset *s,
			   const struct prs_range *r)
{
	int want = prs_expect_add(s, r), got = prs_rangeset_add(s, r);

	if (want != got && !c->add_mismatch)
		c->add_mismatch = "rangeset_add verdict differs from prediction";
	return got;
}

static void prs_gen_layer(struct prs_oracle_case *c, struct prs_rangeset *s,
			  const struct prs_oracle_src *src)
{
	unsigned want = (unsigned)prs_pick(src, PRS_ORACLE_ENTRIES + 1u);
	int raw = prs_pick(src, 16) == 0;
	struct prs_range r = { 0, 0, 0, 0, 0, 0 };

	for (unsigned k = 0; k < want; k++) {
		int again = k && prs_pick(src, 8) == 0;

		if (!again) { /* else: the previous range once more (a reference) */
			for (unsigned tries = 0; tries < 8u; tries++) {
				prs_pick_span(c, &r, src);
				if (!prs_hits_static(c, &r) || prs_pick(src, 8) == 0)
					break;
			}
			prs_pick_attrs(&r, src, 1);
		}
		if (raw)
			prs_raw_insert(s, &r);
		else
			(void)prs_checked_add(c, s, &r);
	}
}

/* The thread-private layer the issue describes: stack + guard hole below. */
static void prs_gen_stack(struct prs_oracle_case *c, struct prs_rangeset *s,
			  const struct prs_oracle_src *src)
{
	struct prs_range stack = { 0, 0, PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W, 0,
				   PRS_SH_INNER, 0 };
	struct prs_range guard = stack;
	uint64_t gl = 1u + prs_pick(src, 4), sl = 1u + prs_pick(src, 32);
	uint64_t g = prs_pick(src, c->ngran > gl + sl ? c->ngran - gl - sl + 1u : 1u);

	if (gl + sl > c->ngran)
		return;
	guard.base = c->window + g * PRS_GRANULE;
	guard.size = gl * PRS_GRANULE;
	guard.perm = 0;
	stack.base = guard.base + guard.size;
	stack.size = sl * PRS_GRANULE;
	(void)prs_checked_add(c, s, &guard);
	(void)prs_checked_add(c, s, &stack);
}

static void prs_gen_window(struct prs_oracle_case *c, const struct prs_oracle_src *src)
{
	uint64_t top = (uint64_t)1 << prs_arch_addr_bits(c->arch);
	uint64_t slots;

	c->ngran = 8u + (unsigned)prs_pick(src, PRS_ORACLE_GRANULES - 7u);
	slots = top / PRS_GRANULE - c->ngran + 1u;
	switch (prs_pick(src, 8)) {
	case 0:
		c->window = 0; /* the bottom of the address space */
		break;
	case 1:
		c->window = top - (uint64_t)c->ngran * PRS_GRANULE; /* the very top */
		break;
	default:
		c->window = ((src->next(src->ctx) ^ (src->next(src->ctx) << 20)) % slots) *
			    PRS_GRANULE;
	}
}

void prs_oracle_generate(struct prs_oracle_case *c, const struct prs_oracle_src *src)
{
	unsigned inner;

	c->arch = prs_pick(src, 2) ? PRS_ARCH_AARCH64 : PRS_ARCH_AARCH32;
	c->nregions = 2u + (unsigned)prs_pick(src, PRS_MAX_REGIONS - 1u);
	if (prs_pick(src, 2))
		c->nregions = c->nregions / 3u + 2u; /* small MPUs: NOSPACE territory */
	if (c->nregions > PRS_MAX_REGIONS)
		c->nregions = PRS_MAX_REGIONS;
	c->add_mismatch = 0;
	prs_gen_window(c, src);
	prs_gen_statics(c, src);
	c->has_base = prs_pick(src, 4) != 0;
	inner = (unsigned)prs_pick(src, PRS_ORACLE_LAYERS);
	c->nsets = (c->has_base ? 1u : 0u) + inner;
	for (unsigned k = 0; k < c->nsets; k++) {
		(void)prs_rangeset_init(&c->sets[k], c->storage[k], PRS_ORACLE_ENTRIES, c->arch);
		if (k + 1u == c->nsets && k > 0 && prs_pick(src, 2))
			prs_gen_stack(c, &c->sets[k], src);
		else
			prs_gen_layer(c, &c->sets[k], src);
	}
}

static void prs_paint(const struct prs_oracle_case *c)
{
	for (unsigned g = 0; g < c->ngran; g++)
		prs_map[g] = (struct prs_cell){ 0, 0, 0, 0 };
	for (unsigned k = 0; k < c->nsets; k++)
		for (unsigned i = 0; i < c->sets[k].n; i++) {
			const struct prs_range *r = &c->sets[k].e[i].r;
			uint64_t g0 = (r->base - c->window) / PRS_GRANULE;
			uint64_t n = r->size / PRS_GRANULE;

			for (uint64_t g = g0; g < g0 + n; g++)
				prs_map[g] = (struct prs_cell){ r->perm != 0, r->perm, r->memtype,
								r->share };
		}
}

static int prs_cell_same(const struct prs_cell *a, const struct prs_cell *b)
{
	return a->perm == b->perm && a->memtype == b->memtype && a->share == b->share;
}

/* Maximal runs of equally-granted granules in the painted map: the least
 * slot count possible. starts[g] (if given) is set where a run begins. */
static unsigned prs_mark_runs(const struct prs_oracle_case *c, uint8_t *starts)
{
	unsigned runs = 0;

	for (unsigned g = 0; g < c->ngran; g++) {
		int begins = prs_map[g].valid && (g == 0 || !prs_map[g - 1u].valid ||
						  !prs_cell_same(&prs_map[g], &prs_map[g - 1u]));

		runs += (unsigned)begins;
		if (starts)
			starts[g] = (uint8_t)begins;
	}
	return runs;
}

static unsigned prs_runs(const struct prs_oracle_case *c)
{
	return prs_mark_runs(c, 0);
}

unsigned prs_oracle_runs(const struct prs_oracle_case *c, uint8_t *starts)
{
	prs_paint(c);
	return prs_mark_runs(c, starts);
}

static int prs_expected(const struct prs_oracle_case *c)
{
	for (unsigned k = 0; k < c->nsets; k++)
		for (unsigned i = 1; i < c->sets[k].n; i++) {
			const struct prs_range *a = &c->sets[k].e[i - 1u].r, *b = &c->sets[k].e[i].r;

			if (a->base + a->size > b->base)
				return PRS_E_CONFLICT;
		}
	for (unsigned k = 0; k < c->nsets; k++)
		for (unsigned i = 0; i < c->sets[k].n; i++)
			if (prs_hits_static(c, &c->sets[k].e[i].r))
				return PRS_E_STATIC;
	prs_paint(c);
	return prs_runs(c) > c->nregions - c->nstatic ? PRS_E_NOSPACE : PRS_OK;
}

static int prs_bytes_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static uint8_t prs_gap_expected(const struct prs_oracle_case *c, uint64_t base)
{
	unsigned below = 0;

	for (unsigned j = 0; j < c->nstatic; j++)
		below += c->statics[j].base < base;
	return (uint8_t)below;
}

static const char *prs_check_statics(const struct prs_oracle_case *c, const struct prs_set *s)
{
	for (unsigned i = 0; i < c->nstatic; i++) {
		struct prs_region r;
		prs_reg_t bar = 0, lar = 0;

		prs_range_to_region(&c->statics[i], &r);
		if (prs_region_encode(c->arch, &r, &bar, &lar) || s->prbar[i] != bar ||
		    s->prlar[i] != lar)
			return "static slot differs from its encoded static region";
		if (s->gap[i] != 0xFFu)
			return "static slot gap is not 0xFF";
	}
	return 0;
}

static const char *prs_check_slots(const struct prs_oracle_case *c, const struct prs_set *s,
				   struct prs_region *dec)
{
	uint64_t wend = c->window + (uint64_t)c->ngran * PRS_GRANULE;

	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		int dyn = i >= s->nstatic && i < (unsigned)s->nstatic + s->ndyn;

		if (i >= s->nstatic && !dyn) {
			if (s->prbar[i] || s->prlar[i] || s->gap[i] != 0xFFu)
				return "disabled slot not 0/0 with gap 0xFF";
			continue;
		}
		if (prs_region_decode(c->arch, s->prbar[i], s->prlar[i], &dec[i]))
			return "enabled slot does not decode";
		if (!dyn)
			continue;
		if (dec[i].base < c->window || dec[i].limit >= wend)
			return "dynamic slot outside the touched range";
		if (i > s->nstatic && dec[i].base <= dec[i - 1u].limit)
			return "dynamic slots not sorted by address";
		if (s->gap[i] != prs_gap_expected(c, dec[i].base))
			return "gap[] wrong";
	}
	for (unsigned i = 0; i < (unsigned)s->nstatic + s->ndyn; i++)
		for (unsigned j = 0; j < i; j++)
			if (dec[i].base <= dec[j].limit && dec[j].base <= dec[i].limit)
				return j < s->nstatic ? "slot overlaps a static region"
						      : "two enabled slots overlap";
	return 0;
}

/* Granule by granule: the one dynamic slot covering it grants the map. */
static const char *prs_check_granules(const struct prs_oracle_case *c, const struct prs_set *s,
				      const struct prs_region *dec)
{
	for (unsigned g = 0; g < c->ngran; g++) {
		uint64_t a = c->window + (uint64_t)g * PRS_GRANULE;
		const struct prs_region *hit = 0;

		for (unsigned i = s->nstatic; i < (unsigned)s->nstatic + s->ndyn; i++)
			if (dec[i].base <= a && a <= dec[i].limit)
				hit = &dec[i];
		if (!prs_map[g].valid && hit)
			return "granule granted that the layers do not grant";
		if (prs_map[g].valid &&
		    (!hit || hit->perm != prs_map[g].perm || hit->memtype != prs_map[g].memtype ||
		     hit->share != prs_map[g].share))
			return "granule not granted as the layers say";
	}
	return 0;
}

const char *prs_oracle_check(const struct prs_oracle_case *c, int *rc)
{
	const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
	static struct prs_region dec[PRS_MAX_REGIONS];
	static struct prs_set out, before;
	struct prs_cpu_layout cpu;
	unsigned nl = 0, first = c->has_base ? 1u : 0u;
	int want, got;
	const char *why;

	if (c->add_mismatch)
		return c->add_mismatch;
	if (prs_layout_init(&cpu, c->arch, c->nregions, c->statics, c->nstatic,
			    c->has_base ? &c->sets[0] : 0))
		return "layout refused a valid static layout";
	for (unsigned k = first; k < c->nsets; k++)
		layers[nl++] = &c->sets[k];
	want = prs_expected(c);
	for (size_t i = 0; i < sizeof(out); i++)
		((unsigned char *)&out)[i] = (unsigned char)(0xA5u ^ i);
	before = out;
	got = prs_set_build(&cpu, layers, nl, &out);
	*rc = got;
	if (got != want)
		return "builder and oracle disagree on the result code";
	if (got != PRS_OK)
		return prs_bytes_equal(&out, &before, sizeof(out)) ? 0 : "output written on error";
	if (out.nslots != c->nregions || out.nstatic != c->nstatic ||
	    out.arch != (uint8_t)c->arch)
		return "set header wrong";
	if (out.ndyn != prs_runs(c))
		return "slot count is not the minimal run count";
	if (out.ndyn > prs_set_bound(&cpu, layers, nl))
		return "slot count above the documented bound";
	why = prs_check_statics(c, &out);
	if (!why)
		why = prs_check_slots(c, &out, dec);
	if (!why)
		why = prs_check_granules(c, &out, dec);
	return why;
}
