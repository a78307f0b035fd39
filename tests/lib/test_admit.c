/* SPDX-License-Identifier: MIT */
/*
 * Removal safety (invariant 9): prs_set_removal_bound and
 * prs_set_build_admit against brute force over every subset of removals.
 *
 * For each configuration the brute force paints every C - S (S any subset
 * of the removable entries) with the oracle and collects
 *   n0 = runs of C itself, W = max runs over all S (the exact worst case),
 *   U  = number of granules that begin a run in at least one C - S.
 * Then: the library's bound equals W (U on stacks deeper than it handles
 * exactly); the builder, at U free slots, builds
 * every C - S with exactly the oracle's run count; and prs_set_build_admit
 * returns NOSPACE when n0 > free, UNREVOCABLE when n0 <= free < U, else OK.
 * An admission that lets W > free through is a violation: the mutant
 * admissions (no admission at all, the bound minus one) must produce some, the real one
 * none. The exhaustive suites and the random one print how often the rule
 * refuses a set that fits, against the exact worst case and against the
 * closed-form prs_set_bound.
 */
#include "prs_lib_test.h"
#include "prs_oracle.h"

#define WIN 0x10000u	       /* window base; the static region lies below */
#define MAXREM 14u	       /* removable entries the brute force accepts */
#define GRAN_MAX 64u	       /* window granules in the random suite */

/* Sanitizer builds (Debug, ~30x slower) take every STRIDE-th thread layer of
 * the exhaustive suites, rotating with the outer layers, and fewer random
 * cases (tests/lib/CMakeLists.txt); plain host builds take them all. */
#ifndef PRS_ADMIT_STRIDE
#define PRS_ADMIT_STRIDE 1u
#endif

typedef int (*prs_admit_fn)(const struct prs_cpu_layout *cpu,
			    const struct prs_rangeset *const *layers, unsigned nlayers,
			    uint32_t removable, struct prs_set *out);

struct prs_tally {
	unsigned long configs, inexact, fits, ref_lib, ref_u, ref_w, ref_closed, violations;
	unsigned long oversized; /* admissions repeated on an oversized layout */
	int at_capacity;         /* repeat them there (the random suite: cheap enough) */
};

/* Layers with removable entries the library's bound is exact for (admit.c). */
#define EXACT_LAYERS 6u

static struct prs_oracle_case cfg, sub;
static struct prs_set out, before;

static const struct prs_range static_lo = { 0x1000u, 0x1000u, P_RX, 0, PRS_SH_NONE, 0 };

static void case_init(struct prs_oracle_case *c, unsigned ngran, int has_base)
{
	c->arch = PRS_ARCH_AARCH32;
	c->nstatic = 1;
	c->statics[0] = static_lo;
	c->nregions = 2;
	c->window = WIN;
	c->ngran = ngran;
	c->has_base = has_base;
	c->nsets = 0;
	c->add_mismatch = 0;
}

static struct prs_rangeset *case_layer(struct prs_oracle_case *c)
{
	struct prs_rangeset *s = &c->sets[c->nsets];

	PRS_CHECK_EQ(prs_rangeset_init(s, c->storage[c->nsets], PRS_ORACLE_ENTRIES, c->arch),
		     PRS_OK);
	c->nsets++;
	return s;
}

/* Layout with `avail` free slots and the layer pointers of c. */
static unsigned case_stack(const struct prs_oracle_case *c, unsigned avail,
			   struct prs_cpu_layout *cpu, const struct prs_rangeset **layers)
{
	unsigned first = c->has_base ? 1u : 0u, n = 0;

	PRS_CHECK_EQ(prs_layout_init(cpu, c->arch, c->nstatic + avail, c->statics, c->nstatic,
				     c->has_base ? &c->sets[0] : 0),
		     PRS_OK);
	for (unsigned k = first; k < c->nsets; k++)
		layers[n++] = &c->sets[k];
	return n;
}

/*
 * The same stack on an MPU of PRS_FAULT_MIN_SLOTS free slots whose layout
 * lets sets hold `avail` (avail > PRS_FAULT_MIN_SLOTS): an oversized layout.
 */
static unsigned case_stack_oversized(const struct prs_oracle_case *c, unsigned avail,
				     struct prs_cpu_layout *cpu, const struct prs_rangeset **layers)
{
	unsigned n = case_stack(c, avail, cpu, layers);

	PRS_CHECK_EQ(prs_layout_init(cpu, c->arch, c->nstatic + PRS_FAULT_MIN_SLOTS, c->statics,
				     c->nstatic, c->has_base ? &c->sets[0] : 0),
		     PRS_OK);
	PRS_CHECK_EQ(prs_layout_set_capacity(cpu, c->nstatic + avail), PRS_OK);
	return n;
}

/* Is entry i of stack layer k removable under `rem` (bit per inner layer)? */
static int case_removable(const struct prs_oracle_case *c, unsigned k, uint32_t rem)
{
	unsigned first = c->has_base ? 1u : 0u;

	return k >= first && ((rem >> (k - first)) & 1u);
}

static unsigned case_nremovable(const struct prs_oracle_case *c, uint32_t rem)
{
	unsigned n = 0;

	for (unsigned k = 0; k < c->nsets; k++)
		if (case_removable(c, k, rem))
			n += c->sets[k].n;
	return n;
}

/* *o = c without the removable entries whose bit is set in `drop`. */
static void case_without(const struct prs_oracle_case *c, uint32_t rem, uint32_t drop,
			 struct prs_oracle_case *o)
{
	unsigned bit = 0;

	*o = *c;
	for (unsigned k = 0; k < c->nsets; k++) {
		unsigned n = 0;

		o->sets[k].e = o->storage[k];
		for (unsigned i = 0; i < c->sets[k].n; i++) {
			if (case_removable(c, k, rem) && ((drop >> bit++) & 1u))
				continue;
			o->storage[k][n++] = c->storage[k][i];
		}
		o->sets[k].n = (uint16_t)n;
	}
}

struct prs_brute {
	unsigned n0, w, u;
	uint8_t any[PRS_ORACLE_GRANULES];
};

/*
 * Every subset of removals: oracle runs and starts, and the builder at
 * `avail` free slots must agree with the oracle (fail if it does not fit).
 */
static void brute(const struct prs_oracle_case *c, uint32_t rem, unsigned avail,
		  struct prs_brute *b)
{
	static uint8_t starts[PRS_ORACLE_GRANULES];
	uint32_t nsub = (uint32_t)1 << case_nremovable(c, rem);

	b->w = b->u = 0;
	for (unsigned g = 0; g < c->ngran; g++)
		b->any[g] = 0;
	for (uint32_t drop = 0; drop < nsub && !prs_test_failed(); drop++) {
		const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
		struct prs_cpu_layout cpu;
		unsigned runs, nl;

		case_without(c, rem, drop, &sub);
		runs = prs_oracle_runs(&sub, starts);
		for (unsigned g = 0; g < c->ngran; g++)
			b->any[g] |= starts[g];
		if (drop == 0)
			b->n0 = runs;
		if (runs > b->w)
			b->w = runs;
		nl = case_stack(&sub, avail, &cpu, layers);
		PRS_CHECK_EQ(prs_set_build(&cpu, layers, nl, &out), PRS_OK);
		PRS_CHECK_EQ(out.ndyn, runs);
	}
	for (unsigned g = 0; g < c->ngran; g++)
		b->u += b->any[g];
}

static int admit_real(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		      unsigned nlayers, uint32_t removable, struct prs_set *o)
{
	return prs_set_build_admit(cpu, layers, nlayers, removable, o);
}

/* Mutant: no admission at all (what grant did before). */
static int admit_none(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		      unsigned nlayers, uint32_t removable, struct prs_set *o)
{
	(void)removable;
	return prs_set_build(cpu, layers, nlayers, o);
}

/* Mutant: the library's bound one too small. */
static int admit_minus1(const struct prs_cpu_layout *cpu,
			const struct prs_rangeset *const *layers, unsigned nlayers,
			uint32_t removable, struct prs_set *o)
{
	unsigned u = 0;
	int err = prs_set_removal_bound(cpu, layers, nlayers, removable, &u);

	if (!err && u > 0u && u - 1u > prs_layout_capacity(cpu) - cpu->nstatic)
		return PRS_E_UNREVOCABLE;
	return err ? err : prs_set_build(cpu, layers, nlayers, o);
}

/* Layers of c that hold removable entries. */
static unsigned case_nremlayers(const struct prs_oracle_case *c, uint32_t rem)
{
	unsigned n = 0;

	for (unsigned k = 0; k < c->nsets; k++)
		n += case_removable(c, k, rem) && c->sets[k].n;
	return n;
}

/* The rule, stated directly: the worst case must fit (U beyond EXACT_LAYERS). */
static int expected_rc(unsigned n0, unsigned bound, unsigned avail)
{
	if (n0 > avail)
		return PRS_E_NOSPACE;
	return bound > avail ? PRS_E_UNREVOCABLE : PRS_OK;
}

static void check_config(const struct prs_oracle_case *c, uint32_t rem, prs_admit_fn admit,
			 struct prs_tally *t)
{
	const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
	static struct prs_brute b;
	struct prs_cpu_layout cpu;
	unsigned nl, lib = 0, closed, top, want;

	nl = case_stack(c, PRS_MAX_REGIONS - c->nstatic, &cpu, layers);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, rem, &lib), PRS_OK);
	closed = prs_set_bound(&cpu, layers, nl);
	brute(c, rem, lib, &b); /* at `lib` free slots every removal must build */
	want = case_nremlayers(c, rem) <= EXACT_LAYERS ? b.w : b.u;
	if (admit == admit_real)
		PRS_CHECK_EQ(lib, want);
	t->configs++;
	t->inexact += b.w < b.u;
	top = b.u > closed ? b.u : closed;
	for (unsigned avail = b.n0 ? b.n0 - 1u : 0u; avail <= top + 1u; avail++) {
		int rc;

		if (avail > PRS_MAX_REGIONS - c->nstatic)
			break;
		nl = case_stack(c, avail, &cpu, layers);
		prs_poison(&out, sizeof(out));
		before = out;
		rc = admit(&cpu, layers, nl, rem, &out);
		if (rc == PRS_OK && b.w > avail)
			t->violations++;
		if (admit != admit_real)
			continue;
		PRS_CHECK_EQ(rc, expected_rc(b.n0, want, avail));
		if (rc == PRS_OK)
			PRS_CHECK_EQ(out.ndyn, b.n0);
		else
			PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
		if (t->at_capacity && avail > PRS_FAULT_MIN_SLOTS &&
		    avail <= PRS_MAX_SET_REGIONS - c->nstatic) {
			/* capacity, not the MPU's slots, is what the rule counts */
			nl = case_stack_oversized(c, avail, &cpu, layers);
			PRS_CHECK_EQ(admit(&cpu, layers, nl, rem, &out), rc);
			t->oversized++;
			if (rc == PRS_OK)
				PRS_CHECK_EQ(out.ndyn, b.n0);
		}
		if (b.n0 > avail || avail > b.n0 + 3u)
			continue; /* pessimism: sets that fit, up to 3 spare slots */
		t->fits++;
		t->ref_lib += lib > avail;
		t->ref_u += b.u > avail;
		t->ref_w += b.w > avail;
		t->ref_closed += closed > avail;
	}
}

static void tally_print(const char *what, const struct prs_tally *t)
{
	prs_test_printf("  %s: %lu configs, U > W in %lu; of %lu (config, free) pairs that fit "
			"(0..3 spare) refused: by the library %lu, exact W %lu, U %lu, "
			"prs_set_bound %lu; %lu repeated at capacity\n",
			what, t->configs, t->inexact, t->fits, t->ref_lib, t->ref_w, t->ref_u,
			t->ref_closed, t->oversized);
}

/* The issue's example: T1 + T2 merge over D; removing T1 needs a third slot. */
static void test_issue_example(void)
{
	const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
	struct prs_rangeset *d, *t;
	struct prs_cpu_layout cpu;
	unsigned nl, u = 0;

	case_init(&cfg, 16, 0);
	d = case_layer(&cfg);
	t = case_layer(&cfg);
	PRS_CHECK_EQ(prs_rangeset_add(d, &(struct prs_range){ WIN, 0x300, P_RW, 0, 0, 0 }), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ WIN, 0x100, P_R, 0, 0, 0 }), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ WIN + 0x100, 0x100, P_R, 0, 0, 0 }),
		     PRS_OK);
	nl = case_stack(&cfg, 2, &cpu, layers);
	PRS_CHECK_EQ(prs_set_build(&cpu, layers, nl, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 2);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, PRS_REMOVABLE_ALL, &u), PRS_OK);
	PRS_CHECK_EQ(u, 3);
	prs_poison(&out, sizeof(out));
	before = out;
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, PRS_REMOVABLE_ALL, &out),
		     PRS_E_UNREVOCABLE);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
	/* only D removable (the thread's ranges are pinned): 0 and 0x200 */
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, 1u, &u), PRS_OK);
	PRS_CHECK_EQ(u, 2);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, 1u, &out), PRS_OK);
	/* with one free slot the set itself does not fit: NOSPACE, not UNREVOCABLE */
	nl = case_stack(&cfg, 1, &cpu, layers);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, PRS_REMOVABLE_ALL, &out),
		     PRS_E_NOSPACE);
	/* three free slots: admitted, and removing T1 then builds in three */
	nl = case_stack(&cfg, 3, &cpu, layers);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, PRS_REMOVABLE_ALL, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 2);
	PRS_CHECK_EQ(prs_rangeset_remove(t, WIN, 0x100), PRS_OK);
	PRS_CHECK_EQ(prs_set_build(&cpu, layers, nl, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 3);
	/* a second reference on T2 changes no set and no bound */
	PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ WIN + 0x100, 0x100, P_R, 0, 0, 0 }),
		     PRS_OK);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, PRS_REMOVABLE_ALL, &u), PRS_OK);
	PRS_CHECK_EQ(u, 3);
	PRS_CHECK_EQ(prs_errname(PRS_E_UNREVOCABLE)[0], 'P');
}

/*
 * Oversized layouts: the set and its removal bound are held against
 * capacity - nstatic, not against the MPU's free slots. k copies of the
 * issue's example side by side need n0 = 2k regions with bound U = 3k; an
 * MPU of 4 free slots whose sets may hold 8 admits k = 2 (NOSPACE-free
 * although 4 + 2 removals exceed the MPU), refuses k = 3 as UNREVOCABLE
 * (6 fit, 9 may not), and k = 5 as NOSPACE.
 */
static void test_admit_at_capacity(void)
{
	const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
	struct prs_rangeset *d, *t;
	struct prs_cpu_layout cpu, small;
	unsigned nl = 0;

	for (unsigned k = 1; k <= 5; k++) {
		unsigned u = 0;
		int rc;

		case_init(&cfg, 16, 0);
		d = case_layer(&cfg);
		t = case_layer(&cfg);
		for (unsigned i = 0; i < k; i++) {
			uint64_t w = WIN + i * 0x400u;

			PRS_CHECK_EQ(prs_rangeset_add(d, &(struct prs_range){ w, 0x300, P_RW, 0, 0, 0 }),
				     PRS_OK);
			PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ w, 0x100, P_R, 0, 0, 0 }),
				     PRS_OK);
			PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ w + 0x100, 0x100, P_R, 0,
									       0, 0 }),
				     PRS_OK);
		}
		nl = case_stack_oversized(&cfg, 8, &cpu, layers);
		PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, PRS_REMOVABLE_ALL, &u), PRS_OK);
		PRS_CHECK_EQ(u, 3u * k);
		prs_poison(&out, sizeof(out));
		before = out;
		rc = prs_set_build_admit(&cpu, layers, nl, PRS_REMOVABLE_ALL, &out);
		PRS_CHECK_EQ(rc, expected_rc(2u * k, 3u * k, 8));
		if (rc == PRS_OK) {
			PRS_CHECK_EQ(out.ndyn, 2u * k);
			PRS_CHECK_EQ(out.nslots, 1 + PRS_FAULT_MIN_SLOTS);
		} else {
			PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
		}
		/* the same MPU without the capacity: 4 free slots */
		nl = case_stack(&cfg, PRS_FAULT_MIN_SLOTS, &small, layers);
		PRS_CHECK_EQ(prs_set_build_admit(&small, layers, nl, PRS_REMOVABLE_ALL, &out),
			     expected_rc(2u * k, 3u * k, PRS_FAULT_MIN_SLOTS));
	}
	PRS_CHECK_EQ(expected_rc(4, 6, 8), PRS_OK); /* the three verdicts above all occur */
	PRS_CHECK_EQ(expected_rc(6, 9, 8), PRS_E_UNREVOCABLE);
	PRS_CHECK_EQ(expected_rc(10, 15, 8), PRS_E_NOSPACE);
	/* k = 2 admitted at capacity 8: each removal of a T1 still builds there */
	case_init(&cfg, 16, 0);
	d = case_layer(&cfg);
	t = case_layer(&cfg);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t w = WIN + i * 0x400u;

		PRS_CHECK_EQ(prs_rangeset_add(d, &(struct prs_range){ w, 0x300, P_RW, 0, 0, 0 }), PRS_OK);
		PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ w, 0x100, P_R, 0, 0, 0 }), PRS_OK);
		PRS_CHECK_EQ(prs_rangeset_add(t, &(struct prs_range){ w + 0x100, 0x100, P_R, 0, 0, 0 }),
			     PRS_OK);
	}
	nl = case_stack_oversized(&cfg, 8, &cpu, layers);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, PRS_REMOVABLE_ALL, &out), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_remove(t, WIN, 0x100), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_remove(t, WIN + 0x400u, 0x100), PRS_OK);
	PRS_CHECK_EQ(prs_set_build(&cpu, layers, nl, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 6);
}

/* The base is never removable, a hole over it is; holes count as removals. */
static void test_base_and_holes(void)
{
	const struct prs_rangeset *layers[PRS_ORACLE_LAYERS];
	struct prs_rangeset *base, *own;
	struct prs_cpu_layout cpu;
	unsigned nl, u = 0;

	case_init(&cfg, 16, 1);
	base = case_layer(&cfg);
	own = case_layer(&cfg);
	PRS_CHECK_EQ(prs_rangeset_add(base, &(struct prs_range){ WIN, 0x400, P_RW, 0, 0, 0 }),
		     PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(own, &(struct prs_range){ WIN + 0x100, 0x100, 0, 0, 0, 0 }),
		     PRS_OK);
	nl = case_stack(&cfg, 4, &cpu, layers);
	/* now: RW, hole, RW = 2 slots; removing the hole merges them: 1. */
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, PRS_REMOVABLE_ALL, &u), PRS_OK);
	PRS_CHECK_EQ(u, 2);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, 0u, &u), PRS_OK);
	PRS_CHECK_EQ(u, 2);
	/* errors: those of the builder, outputs untouched */
	PRS_CHECK_EQ(prs_set_removal_bound(NULL, layers, nl, 0u, &u), PRS_E_NULL);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, 0u, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, PRS_MAX_LAYERS + 1u, 0u, &u), PRS_E_ARG);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, 0u, NULL), PRS_E_NULL);
	own->e[0].r.base = 0x1000u; /* over the static region, by hand */
	u = 77;
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, nl, 0u, &u), PRS_E_STATIC);
	PRS_CHECK_EQ(u, 77);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, nl, 0u, &out), PRS_E_STATIC);
}

/* Every layer with 1..kmax entries on g granules, attrs from pal[0..na). */
struct prs_pattern {
	uint8_t n, s[4], e[4], a[4];
};

static struct prs_pattern pat_dom[256], pat_own[1024];

static const struct prs_range pal[] = {
	{ 0, 0, P_R, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RW, 0, PRS_SH_INNER, 0 },
	{ 0, 0, 0, 0, PRS_SH_INNER, 0 }, /* hole: thread layer only */
};

static unsigned patterns(struct prs_pattern *p, unsigned max, unsigned g, unsigned kmax,
			 unsigned na, struct prs_pattern *cur, unsigned pos, unsigned count)
{
	if (cur->n && count < max)
		p[count++] = *cur;
	if (cur->n == kmax)
		return count;
	for (unsigned s = pos; s < g; s++)
		for (unsigned e = s + 1u; e <= g; e++)
			for (unsigned a = 0; a < na; a++) {
				cur->s[cur->n] = (uint8_t)s;
				cur->e[cur->n] = (uint8_t)e;
				cur->a[cur->n] = (uint8_t)a;
				cur->n++;
				count = patterns(p, max, g, kmax, na, cur, e, count);
				cur->n--;
			}
	return count;
}

static void layer_from(struct prs_oracle_case *c, const struct prs_pattern *p)
{
	struct prs_rangeset *s = case_layer(c);

	for (unsigned i = 0; i < p->n; i++) {
		struct prs_range r = pal[p->a[i]];

		r.base = WIN + p->s[i] * PRS_GRANULE;
		r.size = (uint64_t)(p->e[i] - p->s[i]) * PRS_GRANULE;
		PRS_CHECK_EQ(prs_rangeset_add(s, &r), PRS_OK);
	}
}

/* base: 0 none, 1 RW over the whole window, 2 RW over granules [1, g-1). */
static void base_from(struct prs_oracle_case *c, unsigned kind, unsigned g)
{
	struct prs_range r = pal[1];

	case_init(c, g, kind != 0);
	if (!kind)
		return;
	r.base = WIN + (kind == 2 ? PRS_GRANULE : 0u);
	r.size = (uint64_t)(kind == 2 ? g - 2u : g) * PRS_GRANULE;
	PRS_CHECK_EQ(prs_rangeset_add(case_layer(c), &r), PRS_OK);
}

/*
 * More than EXACT_LAYERS layers with removable entries: the library falls
 * back to U. Seven nested prefixes [0, k) of alternating RO/RW: every
 * granule boundary below the top can start a region (U = 7), and keeping
 * everything does start one at each (W = 7).
 */
static void test_deep_stack_fallback(void)
{
	static struct prs_rangeset_entry st[7][2];
	static struct prs_rangeset ls[7];
	const struct prs_rangeset *layers[7];
	struct prs_cpu_layout cpu;
	unsigned u = 0;

	for (unsigned k = 0; k < 7u; k++) {
		struct prs_range r = pal[k & 1u];

		r.base = WIN;
		r.size = (uint64_t)(7u - k) * PRS_GRANULE;
		PRS_CHECK_EQ(prs_rangeset_init(&ls[k], st[k], 2, PRS_ARCH_AARCH32), PRS_OK);
		PRS_CHECK_EQ(prs_rangeset_add(&ls[k], &r), PRS_OK);
		layers[k] = &ls[k];
	}
	PRS_CHECK_EQ(prs_layout_init(&cpu, PRS_ARCH_AARCH32, 8, &static_lo, 1, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_set_removal_bound(&cpu, layers, 7, PRS_REMOVABLE_ALL, &u), PRS_OK);
	PRS_CHECK_EQ(u, 7);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, 7, PRS_REMOVABLE_ALL, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 7);
	PRS_CHECK_EQ(prs_layout_init(&cpu, PRS_ARCH_AARCH32, 7, &static_lo, 1, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_set_build_admit(&cpu, layers, 7, PRS_REMOVABLE_ALL, &out),
		     PRS_E_NOSPACE);
}

static void exhaustive(unsigned g, unsigned ndom, unsigned nbase, prs_admit_fn admit,
		       struct prs_tally *t)
{
	struct prs_pattern cur = { 0, { 0 }, { 0 }, { 0 } };
	unsigned nd = patterns(pat_dom, 256, g, 3, 2, &cur, 0, 0);
	unsigned no = patterns(pat_own, 1024, g, 4, 3, &cur, 0, 0);
	unsigned nd2 = ndom > 1 ? nd : 1u;

	PRS_CHECK(nd < 256 && no < 1024);
	for (unsigned kb = 0; kb < nbase; kb++)
		for (unsigned i = 0; i < nd; i++)
			for (unsigned i2 = 0; i2 < nd2; i2++)
				for (unsigned j = (kb + i + i2) % PRS_ADMIT_STRIDE;
				     j < no && !prs_test_failed(); j += PRS_ADMIT_STRIDE) {
					base_from(&cfg, kb, g);
					layer_from(&cfg, &pat_dom[i]);
					if (ndom > 1)
						layer_from(&cfg, &pat_dom[i2]);
					layer_from(&cfg, &pat_own[j]);
					check_config(&cfg, PRS_REMOVABLE_ALL, admit, t);
				}
}

/* 4 granules: base (none, whole, partial), one domain (1-3), own (1-4). */
static void test_exhaustive_one_domain(void)
{
	struct prs_tally t = { 0 };

	exhaustive(4, 1, 3, admit_real, &t);
	tally_print("exhaustive, 4 granules, 1 domain", &t);
	PRS_CHECK_EQ(t.violations, 0);
	PRS_CHECK(t.ref_lib == t.ref_w && t.ref_w <= t.ref_u && t.ref_u <= t.ref_closed);
}

/* 3 granules: base (none, whole), two domains (1-3 each), own (1-3). */
static void test_exhaustive_two_domains(void)
{
	struct prs_tally t = { 0 };

	exhaustive(3, 2, 2, admit_real, &t);
	tally_print("exhaustive, 3 granules, 2 domains", &t);
	PRS_CHECK_EQ(t.violations, 0);
	PRS_CHECK(t.ref_lib == t.ref_w && t.ref_w <= t.ref_u && t.ref_u <= t.ref_closed);
}

/* The same checker catches admissions that are too weak. */
static void test_mutants_are_caught(void)
{
	struct prs_tally none = { 0 }, minus1 = { 0 };

	exhaustive(3, 1, 2, admit_none, &none);
	exhaustive(3, 1, 2, admit_minus1, &minus1);
	prs_test_printf("  mutants: no admission %lu violations, bound - 1 %lu\n", none.violations,
			minus1.violations);
	PRS_CHECK(none.violations > 0);
	PRS_CHECK(minus1.violations > 0);
}

static const struct prs_range rnd_pal[] = {
	{ 0, 0, 0, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_R, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RW, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RW, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RR, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RX, 0, PRS_SH_INNER, 0 },
	{ 0, 0, P_RW, 1, PRS_SH_INNER, 0 },
};

static void random_layer(struct prs_oracle_case *c, uint64_t *seed, unsigned want, int holes)
{
	struct prs_rangeset *s = case_layer(c);

	for (unsigned k = 0; k < want; k++) {
		struct prs_range r;
		uint64_t len = 1u + prs_rand_below(seed, prs_rand_below(seed, 4) ? 6u : c->ngran);
		uint64_t g = prs_rand_below(seed, c->ngran - len + 1u);

		r = rnd_pal[holes ? prs_rand_below(seed, 7) : 1u + prs_rand_below(seed, 6)];
		r.base = WIN + g * PRS_GRANULE;
		r.size = len * PRS_GRANULE;
		(void)prs_rangeset_add(s, &r); /* overlapping picks are refused: fewer entries */
	}
}

/* Larger windows, up to three domains, partial removable masks. */
static void test_random(void)
{
	struct prs_tally t = { 0 };

	t.at_capacity = 1;
	uint64_t seed = prs_test_seed();
	unsigned cases = 600u / PRS_ADMIT_STRIDE + 100u;

	for (unsigned i = 0; i < cases && !prs_test_failed(); i++) {
		uint64_t cs = seed ^ ((uint64_t)(i + 1u) * 0x9E3779B97F4A7C15ULL), st = cs ? cs : 1u;
		unsigned ndom = 1u + (unsigned)prs_rand_below(&st, 3);
		uint32_t rem = prs_rand_below(&st, 4) ? PRS_REMOVABLE_ALL
						      : (uint32_t)prs_rand_below(&st, 16);
		unsigned long before_v = t.violations;

		case_init(&cfg, 8u + (unsigned)prs_rand_below(&st, GRAN_MAX - 7u),
			  prs_rand_below(&st, 2) != 0);
		if (cfg.has_base)
			random_layer(&cfg, &st, 1u + (unsigned)prs_rand_below(&st, 3), 0);
		for (unsigned d = 0; d < ndom; d++)
			random_layer(&cfg, &st, 1u + (unsigned)prs_rand_below(&st, 4), 0);
		random_layer(&cfg, &st, 1u + (unsigned)prs_rand_below(&st, 6), 1);
		if (case_nremovable(&cfg, rem) > MAXREM)
			continue;
		check_config(&cfg, rem, admit_real, &t);
		if (prs_test_failed() || t.violations != before_v)
			prs_test_printf("  case %u (case seed 0x%llx, run seed 0x%llx)\n", i,
					(unsigned long long)cs, (unsigned long long)seed);
	}
	tally_print("random, 8-64 granules, 1-3 domains", &t);
	PRS_CHECK_EQ(t.violations, 0);
	PRS_CHECK(t.configs > cases / 2u);
	PRS_CHECK(t.oversized > 0);
	PRS_CHECK(t.ref_lib == t.ref_w && t.ref_w <= t.ref_u && t.ref_u <= t.ref_closed);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_issue_example),	PRS_TEST_ENTRY(test_base_and_holes),
	PRS_TEST_ENTRY(test_deep_stack_fallback),
	PRS_TEST_ENTRY(test_exhaustive_one_domain), PRS_TEST_ENTRY(test_exhaustive_two_domains),
	PRS_TEST_ENTRY(test_mutants_are_caught), PRS_TEST_ENTRY(test_random),
	PRS_TEST_ENTRY(test_admit_at_capacity),
};

PRS_TEST_MAIN("lib_admit", prs_tests)
