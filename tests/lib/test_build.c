/* SPDX-License-Identifier: MIT */
/* The set builder: layering, splitting, merging, gaps, bound, every error. */
#include "prs_lib_test.h"

#define NSTORE 8u

static struct prs_rangeset_entry st_base[NSTORE], st_dom[NSTORE], st_thr[NSTORE];
static struct prs_rangeset base, dom, thr;
static struct prs_cpu_layout cpu;
static struct prs_set out, before;

/* Flash (slot 0) and kernel RAM (slot 1), as a board would fix them. */
static const struct prs_range statics2[] = {
	{ 0x00000000u, 0x00100000u, P_RX, 0, PRS_SH_NONE, 0 },
	{ 0x20000000u, 0x00100000u, P_RW, 1, PRS_SH_INNER, 0 },
};

static void setup(unsigned nregions, const struct prs_range *statics, unsigned nstatic)
{
	PRS_CHECK_EQ(prs_rangeset_init(&base, st_base, NSTORE, PRS_ARCH_AARCH32), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_init(&dom, st_dom, NSTORE, PRS_ARCH_AARCH32), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_init(&thr, st_thr, NSTORE, PRS_ARCH_AARCH32), PRS_OK);
	PRS_CHECK_EQ(prs_layout_init(&cpu, PRS_ARCH_AARCH32, nregions, statics, nstatic, &base),
		     PRS_OK);
	prs_poison(&out, sizeof(out));
	before = out;
}

static void add(struct prs_rangeset *s, uint64_t b, uint64_t size, unsigned perm)
{
	PRS_CHECK_EQ(prs_rangeset_add(s, &(struct prs_range){ b, size, (uint8_t)perm, 1,
							      PRS_SH_INNER, 0 }),
		     PRS_OK);
}

static int build2(void)
{
	const struct prs_rangeset *layers[] = { &dom, &thr };

	return prs_set_build(&cpu, layers, 2, &out);
}

/* Slot i holds [b, limit] with perm, and lies in stretch gap. */
static void expect_slot(unsigned i, uint64_t b, uint64_t limit, unsigned perm, unsigned gap)
{
	struct prs_region r;

	PRS_CHECK_EQ(prs_region_decode((enum prs_arch)out.arch, out.prbar[i], out.prlar[i], &r),
		     PRS_OK);
	PRS_CHECK_EQ(r.base, b);
	PRS_CHECK_EQ(r.limit, limit);
	PRS_CHECK_EQ(r.perm, perm);
	PRS_CHECK_EQ(out.gap[i], gap);
}

static void expect_disabled_from(unsigned i)
{
	for (; i < PRS_MAX_SET_REGIONS; i++) {
		PRS_CHECK_EQ(out.prbar[i], 0);
		PRS_CHECK_EQ(out.prlar[i], 0);
		PRS_CHECK_EQ(out.gap[i], 0xFF);
	}
}

/* Base RAM, one domain partition, stack + guard: the picture. */
static void test_layers_split_and_holes(void)
{
	setup(16, statics2, 2);
	add(&base, 0x20100000u, 0x00700000u, P_RW);
	add(&dom, 0x20200000u, 0x1000u, P_RWRW);
	add(&thr, 0x203FF000u, 0x1000u, 0);      /* guard */
	add(&thr, 0x20400000u, 0x2000u, P_RWRW); /* stack */
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.nslots, 16);
	PRS_CHECK_EQ(out.nstatic, 2);
	PRS_CHECK_EQ(out.ndyn, 5);
	PRS_CHECK_EQ(out.arch, PRS_ARCH_AARCH32);
	/* statics: encoded in their slots, gap 0xFF (hand values, see test_region) */
	PRS_CHECK_EQ(out.prbar[0], 0x00000004u); /* EL1 RO, exec, SH 00 */
	PRS_CHECK_EQ(out.prlar[0], 0x000FFFC1u);
	PRS_CHECK_EQ(out.prbar[1], 0x20000019u); /* EL1 RW, XN, SH inner */
	PRS_CHECK_EQ(out.prlar[1], 0x200FFFC3u);
	PRS_CHECK_EQ(out.gap[0], 0xFF);
	PRS_CHECK_EQ(out.gap[1], 0xFF);
	expect_slot(2, 0x20100000u, 0x201FFFFFu, P_RW, 2);
	expect_slot(3, 0x20200000u, 0x20200FFFu, P_RWRW, 2);
	expect_slot(4, 0x20201000u, 0x203FEFFFu, P_RW, 2);
	expect_slot(5, 0x20400000u, 0x20401FFFu, P_RWRW, 2);
	expect_slot(6, 0x20402000u, 0x207FFFFFu, P_RW, 2);
	expect_disabled_from(7);
	PRS_CHECK(out.ndyn <= prs_set_bound(&cpu, (const struct prs_rangeset *const[]){ &dom, &thr },
					    2));
	PRS_CHECK_EQ(prs_set_bound(&cpu, (const struct prs_rangeset *const[]){ &dom, &thr }, 2), 6);
}

static void test_equal_neighbours_merge(void)
{
	setup(8, NULL, 0);
	add(&base, 0x1000u, 0x1000u, P_RW);
	add(&dom, 0x2000u, 0x1000u, P_RW);  /* touches the base range: merges */
	add(&dom, 0x1400u, 0x400u, P_RW);   /* inside it, same attributes: no split */
	add(&thr, 0x3000u, 0x40u, P_RW);    /* touches again */
	add(&thr, 0x4000u, 0x40u, P_RW);    /* does not touch: own slot */
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 2);
	expect_slot(0, 0x1000u, 0x303Fu, P_RW, 0);
	expect_slot(1, 0x4000u, 0x403Fu, P_RW, 0);
	expect_disabled_from(2);
}

static void test_inner_range_sticking_out(void)
{
	setup(8, NULL, 0);
	add(&base, 0x1000u, 0x1000u, P_RW);
	add(&dom, 0x1800u, 0x1000u, P_RR); /* covers the top half and beyond */
	add(&thr, 0x0800u, 0x1000u, 0);    /* hole over the bottom and below */
	PRS_CHECK_EQ(build2(), PRS_OK);
	/* the hole eats the bottom half of the base, the partition the top half */
	PRS_CHECK_EQ(out.ndyn, 1);
	expect_slot(0, 0x1800u, 0x27FFu, P_RR, 0);
	expect_disabled_from(1);
}

static void test_gap_follows_address_order(void)
{
	/* slot 0 is the HIGHER static: gap counts statics below in address order */
	static const struct prs_range st[] = {
		{ 0x8000u, 0x1000u, P_R, 0, 0, 0 },
		{ 0x1000u, 0x1000u, P_R, 0, 0, 0 },
	};

	setup(8, st, 2);
	add(&base, 0x0000u, 0x1000u, P_RW);
	add(&base, 0x4000u, 0x1000u, P_RW);
	add(&base, 0x9000u, 0x1000u, P_RW);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 3);
	expect_slot(2, 0x0000u, 0x0FFFu, P_RW, 0);
	expect_slot(3, 0x4000u, 0x4FFFu, P_RW, 1);
	expect_slot(4, 0x9000u, 0x9FFFu, P_RW, 2);
}

/* R partitions inside one base range reach the documented bound 1 + 2R. */
static void test_bound_is_tight(void)
{
	setup(16, NULL, 0);
	add(&base, 0x10000u, 0x10000u, P_RW);
	for (unsigned i = 0; i < 4; i++)
		add(&dom, 0x11000u + 0x2000u * i, 0x100u, P_RR);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 9);
	PRS_CHECK_EQ(prs_set_bound(&cpu, (const struct prs_rangeset *const[]){ &dom, &thr }, 2), 9);
}

static void test_top_of_address_space(void)
{
	setup(4, NULL, 0);
	add(&base, 0xFFFFF000u, 0x1000u, P_RW);
	PRS_CHECK_EQ(build2(), PRS_OK);
	expect_slot(0, 0xFFFFF000u, 0xFFFFFFFFu, P_RW, 0);
}

/* NOSPACE exactly when the minimal piece count exceeds the free slots. */
static void test_nospace_exact(void)
{
	setup(2 + 5, statics2, 2); /* five free slots */
	add(&base, 0x20100000u, 0x00700000u, P_RW);
	add(&dom, 0x20200000u, 0x1000u, P_RWRW);
	add(&thr, 0x20400000u, 0x2000u, P_RWRW);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 5);
	prs_poison(&out, sizeof(out));
	before = out;
	add(&thr, 0x20600000u, 0x40u, P_RR); /* sixth piece */
	PRS_CHECK_EQ(build2(), PRS_E_NOSPACE);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
}

/* prs_layout_set_capacity: every refusal, its boundary, and the layout untouched. */
static void test_capacity_errors(void)
{
	struct prs_cpu_layout l, lb;

	setup(2 + 4, statics2, 2); /* four dynamic slots: PRS_FAULT_MIN_SLOTS */
	PRS_CHECK_EQ(prs_layout_capacity(&cpu), 6);
	l = cpu;
	l.capacity = 0; /* what a static initializer leaves */
	PRS_CHECK_EQ(prs_layout_capacity(&l), 6);
	PRS_CHECK_EQ(prs_layout_set_capacity(NULL, 8), PRS_E_NULL);
	lb = cpu;
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 5), PRS_E_ARG); /* below nregions */
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 0), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, PRS_MAX_SET_REGIONS + 1u), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 256), PRS_E_ARG); /* not truncated to 0 */
	PRS_CHECK(prs_same_bytes(&cpu, &lb, sizeof(cpu)));
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, PRS_MAX_SET_REGIONS), PRS_OK);
	PRS_CHECK_EQ(prs_layout_capacity(&cpu), PRS_MAX_SET_REGIONS);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 6), PRS_OK); /* back to "fits" */
	PRS_CHECK_EQ(prs_layout_capacity(&cpu), 6);

	/* three dynamic slots: oversized is refused, capacity == nregions is not */
	setup(2 + 3, statics2, 2);
	lb = cpu;
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 6), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 10), PRS_E_ARG);
	PRS_CHECK(prs_same_bytes(&cpu, &lb, sizeof(cpu)));
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 5), PRS_OK);

	/* a capacity set by hand past the checks: the builder and the image refuse it */
	setup(2 + 4, statics2, 2);
	l = cpu;
	l.capacity = 5;
	PRS_CHECK_EQ(prs_set_build(&l, NULL, 0, &out), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_image(&l, &out), PRS_E_ARG);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
	setup(2 + 3, statics2, 2);
	l = cpu;
	l.capacity = 8;
	PRS_CHECK_EQ(prs_set_build(&l, NULL, 0, &out), PRS_E_ARG);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
}

/* n separated RW ranges of 0x1000 in the base layer, from 0x20100000. */
static void add_row(struct prs_rangeset *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		add(s, 0x20100000u + 0x10000u * i, 0x1000u, P_RW);
}

/* NOSPACE comes at capacity - nstatic regions, not at the MPU's free slots. */
static void test_nospace_at_capacity(void)
{
	setup(2 + 4, statics2, 2);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 2 + 8), PRS_OK);
	add_row(&base, 8);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 8);
	PRS_CHECK_EQ(out.nslots, 6); /* the MPU's count: capacity is the layout's */
	PRS_CHECK_EQ(out.nstatic, 2);
	for (unsigned i = 0; i < 8; i++)
		expect_slot(2 + i, 0x20100000u + 0x10000u * i, 0x20100FFFu + 0x10000u * i, P_RW, 2);
	expect_disabled_from(10);
	prs_poison(&out, sizeof(out));
	before = out;
	add(&dom, 0x20900000u, 0x1000u, P_RW); /* ninth */
	PRS_CHECK_EQ(build2(), PRS_E_NOSPACE);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
	/* The same layers without the capacity: NOSPACE at the four free slots. */
	setup(2 + 4, statics2, 2);
	add_row(&base, 4);
	PRS_CHECK_EQ(build2(), PRS_OK);
	add(&base, 0x20900000u, 0x1000u, P_RW);
	prs_poison(&out, sizeof(out));
	before = out;
	PRS_CHECK_EQ(build2(), PRS_E_NOSPACE);
	PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
}

/*
 * An oversized set lists its regions hottest first: by the innermost layer
 * granting them (thread, then domain, then base), address order within a
 * layer, a run merged across layers counting as its innermost layer, the
 * gap moving with its region. Pieces (address order, layer):
 *   0x10100000 base (gap 1)   0x20100000 base     0x20200000 thr
 *   0x20300000 dom            0x20400000 thr      0x20500000 base
 *   0x20600000-0x20602FFF base | thr | base merged (thr)
 *   0x20700000 base | 0x20701000 dom | 0x20702000 base  (a split)
 */
static void oversized_layers(void)
{
	add(&base, 0x10100000u, 0x1000u, P_RW);
	add(&base, 0x20100000u, 0x1000u, P_RW);
	add(&base, 0x20500000u, 0x1000u, P_RW);
	add(&base, 0x20600000u, 0x3000u, P_RW);
	add(&base, 0x20700000u, 0x3000u, P_RW);
	add(&dom, 0x20300000u, 0x1000u, P_RR);
	add(&dom, 0x20701000u, 0x1000u, P_RR);
	add(&thr, 0x20200000u, 0x1000u, P_RWRW);
	add(&thr, 0x20400000u, 0x1000u, P_RWRW);
	add(&thr, 0x20601000u, 0x1000u, P_RW); /* inside, same attributes as the base: merges */
}

/* oversized_layers' pieces in address order, and the order of an oversized set. */
static const struct {
	uint32_t base, limit;
	uint8_t perm, gap;
} pieces[10] = {
	{ 0x10100000u, 0x10100FFFu, P_RW, 1 },   { 0x20100000u, 0x20100FFFu, P_RW, 2 },
	{ 0x20200000u, 0x20200FFFu, P_RWRW, 2 }, { 0x20300000u, 0x20300FFFu, P_RR, 2 },
	{ 0x20400000u, 0x20400FFFu, P_RWRW, 2 }, { 0x20500000u, 0x20500FFFu, P_RW, 2 },
	{ 0x20600000u, 0x20602FFFu, P_RW, 2 },   { 0x20700000u, 0x20700FFFu, P_RW, 2 },
	{ 0x20701000u, 0x20701FFFu, P_RR, 2 },   { 0x20702000u, 0x20702FFFu, P_RW, 2 },
};
/* thread (the merged run is the thread's), domain, base; address order within each */
static const uint8_t hot[10] = { 2, 4, 6, 3, 8, 0, 1, 5, 7, 9 };

static void test_oversized_hot_order(void)
{
	static const struct prs_range st[] = {
		{ 0x00000000u, 0x00100000u, P_RX, 0, PRS_SH_NONE, 0 },
		{ 0x20000000u, 0x00100000u, P_RW, 1, PRS_SH_INNER, 0 },
	};

	/* 4 free slots (oversized), then 10 (the same layers fit: address order) */
	for (unsigned fit = 0; fit < 2; fit++) {
		setup(fit ? 2 + 10 : 2 + 4, st, 2);
		PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 2 + 12), PRS_OK);
		oversized_layers();
		PRS_CHECK_EQ(build2(), PRS_OK);
		PRS_CHECK_EQ(out.ndyn, 10);
		for (unsigned i = 0; i < 10; i++) {
			unsigned p = fit ? i : hot[i];

			expect_slot(2 + i, pieces[p].base, pieces[p].limit, pieces[p].perm,
				    pieces[p].gap);
		}
		expect_disabled_from(12);
	}
}

/* Exactly as many regions as free slots: the set fits, address order. */
static void test_fitting_set_keeps_address_order(void)
{
	setup(2 + 4, statics2, 2);
	PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, 2 + 8), PRS_OK);
	add(&base, 0x20100000u, 0x1000u, P_RW);
	add(&base, 0x20500000u, 0x1000u, P_RW);
	add(&dom, 0x20300000u, 0x1000u, P_RR);
	add(&thr, 0x20700000u, 0x1000u, P_RWRW);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 4);
	expect_slot(2, 0x20100000u, 0x20100FFFu, P_RW, 2);
	expect_slot(3, 0x20300000u, 0x20300FFFu, P_RR, 2);
	expect_slot(4, 0x20500000u, 0x20500FFFu, P_RW, 2);
	expect_slot(5, 0x20700000u, 0x20700FFFu, P_RWRW, 2);
	/* one more (a base piece): oversized, so the thread's comes first */
	add(&base, 0x20900000u, 0x1000u, P_RW);
	PRS_CHECK_EQ(build2(), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 5);
	expect_slot(2, 0x20700000u, 0x20700FFFu, P_RWRW, 2);
	expect_slot(3, 0x20300000u, 0x20300FFFu, P_RR, 2);
	expect_slot(4, 0x20100000u, 0x20100FFFu, P_RW, 2);
	expect_slot(5, 0x20500000u, 0x20500FFFu, P_RW, 2);
	expect_slot(6, 0x20900000u, 0x20900FFFu, P_RW, 2);
}

/* The innermost layer (stack index: base 0, dom 1, thr 2) granting some of [b, l]. */
static unsigned hot_rank(uint64_t b, uint64_t l)
{
	const struct prs_rangeset *st[3] = { &base, &dom, &thr };
	unsigned rank = 0;

	for (unsigned k = 0; k < 3; k++)
		for (unsigned i = 0; i < st[k]->n; i++) {
			const struct prs_range *r = &st[k]->e[i].r;

			if (r->perm && r->base <= l && b <= r->base + r->size - 1u)
				rank = k;
		}
	return rank;
}

/* Random entries on a grid of 0x400-byte granules above the RAM static region. */
static void random_layer(struct prs_rangeset *s, uint64_t *rng, unsigned max, int holes)
{
	static const uint8_t perms[] = { P_RW, P_RR, P_RWRW, P_R };
	unsigned n = (unsigned)prs_rand_below(rng, max + 1u);

	for (unsigned i = 0; i < n; i++) {
		struct prs_range r = { 0x20100000u + 0x400u * prs_rand_below(rng, 32),
				       0x400u * (1u + prs_rand_below(rng, 6)),
				       perms[prs_rand_below(rng, 4)], 1, PRS_SH_INNER, 0 };

		if (holes && prs_rand_below(rng, 4) == 0)
			r.perm = 0;
		(void)prs_rangeset_add(s, &r); /* overlaps within the layer: refused, skipped */
	}
}

/*
 * Property, random layers: on a 4-slot MPU with room for more, the set is
 * the one an MPU large enough builds, reordered by (innermost granting
 * layer descending, base ascending) when it has more than 4 regions, and
 * identical when it fits.
 */
static void test_oversized_order_random(void)
{
	uint64_t rng = prs_test_seed();
	unsigned oversized = 0;

	for (unsigned it = 0; it < 2000 && !prs_test_failed(); it++) {
		static struct prs_set ref; /* static: the r52 firmware's stack is small */
		static struct prs_cpu_layout big;

		setup(2 + 4, statics2, 2);
		PRS_CHECK_EQ(prs_layout_set_capacity(&cpu, PRS_MAX_SET_REGIONS), PRS_OK);
		random_layer(&base, &rng, 3, 0);
		random_layer(&dom, &rng, 3, 1);
		random_layer(&thr, &rng, 3, 1);
		PRS_CHECK_EQ(prs_layout_init(&big, PRS_ARCH_AARCH32, PRS_MAX_REGIONS, statics2, 2,
					     &base),
			     PRS_OK);
		PRS_CHECK_EQ(prs_set_build(&big, (const struct prs_rangeset *const[]){ &dom, &thr },
					   2, &ref),
			     PRS_OK);
		PRS_CHECK_EQ(build2(), PRS_OK);
		PRS_CHECK_EQ(out.ndyn, ref.ndyn);
		if (ref.ndyn <= 4) {
			for (unsigned i = 2; i < 2u + ref.ndyn; i++)
				PRS_CHECK(out.prbar[i] == ref.prbar[i] && out.prlar[i] == ref.prlar[i]);
			continue;
		}
		oversized++;
		/* out is a permutation of ref, sorted by (rank desc, base asc) */
		for (unsigned i = 2; i < 2u + out.ndyn; i++) {
			struct prs_region r;
			unsigned found = 0;

			for (unsigned j = 2; j < 2u + ref.ndyn; j++)
				found += out.prbar[i] == ref.prbar[j] && out.prlar[i] == ref.prlar[j] &&
					 out.gap[i] == ref.gap[j];
			PRS_CHECK_EQ(found, 1);
			PRS_CHECK_EQ(prs_region_decode(PRS_ARCH_AARCH32, out.prbar[i], out.prlar[i], &r),
				     PRS_OK);
			if (i > 2) {
				struct prs_region p;
				unsigned rp, rr = hot_rank(r.base, r.limit);

				(void)prs_region_decode(PRS_ARCH_AARCH32, out.prbar[i - 1u],
							out.prlar[i - 1u], &p);
				rp = hot_rank(p.base, p.limit);
				PRS_CHECK(rp > rr || (rp == rr && p.base < r.base));
			}
		}
	}
	prs_test_printf("  %u of 2000 random sets oversized\n", oversized);
	PRS_CHECK(oversized > 200); /* the property was exercised */
}

static void test_build_errors_leave_output(void)
{
	const struct prs_rangeset *layers[PRS_MAX_LAYERS + 1u];
	struct prs_rangeset_entry raw[2];
	struct prs_rangeset rs, other;
	struct prs_cpu_layout bad;

	setup(16, statics2, 2);
	add(&base, 0x20100000u, 0x1000u, P_RW);
	for (unsigned i = 0; i <= PRS_MAX_LAYERS; i++)
		layers[i] = &dom;
#define EXPECT(call, code)                                               \
	do {                                                             \
		PRS_CHECK_EQ((call), (code));                            \
		PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));   \
	} while (0)
	EXPECT(prs_set_build(NULL, layers, 1, &out), PRS_E_NULL);
	EXPECT(prs_set_build(&cpu, NULL, 1, &out), PRS_E_NULL);
	PRS_CHECK_EQ(prs_set_build(&cpu, layers, 1, NULL), PRS_E_NULL);
	layers[1] = NULL;
	EXPECT(prs_set_build(&cpu, layers, 2, &out), PRS_E_NULL);
	layers[1] = &dom;
	EXPECT(prs_set_build(&cpu, layers, PRS_MAX_LAYERS + 1u, &out), PRS_E_ARG);
	PRS_CHECK_EQ(prs_rangeset_init(&other, raw, 2, PRS_ARCH_AARCH64), PRS_OK);
	layers[0] = &other;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_ARG); /* other arch */
	layers[0] = &dom;
	bad = cpu;
	bad.nregions = 0;
	EXPECT(prs_set_build(&bad, layers, 1, &out), PRS_E_ARG);
	bad.nregions = PRS_MAX_REGIONS + 1u;
	EXPECT(prs_set_build(&bad, layers, 1, &out), PRS_E_ARG);
	bad = cpu;
	bad.nstatic = 17;
	EXPECT(prs_set_build(&bad, layers, 1, &out), PRS_E_ARG);

	/* hand-made tables: the builder re-checks the rangeset invariant */
	PRS_CHECK_EQ(prs_rangeset_init(&rs, raw, 2, PRS_ARCH_AARCH32), PRS_OK);
	layers[0] = &rs;
	raw[0] = (struct prs_rangeset_entry){ { 0x30000000u, 0x1000u, P_RW, 0, 0, 0 }, 1 };
	raw[1] = (struct prs_rangeset_entry){ { 0x30000800u, 0x1000u, P_R, 0, 0, 0 }, 1 };
	rs.n = 2;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_CONFLICT); /* overlap */
	raw[1].r.base = 0x2F000000u;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_CONFLICT); /* out of order */
	raw[1].r.base = 0x30001000u;
	raw[1].refs = 0;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_ARG); /* dead entry */
	raw[1].refs = 1;
	raw[1].r.base = 0x30001010u;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_ALIGN);
	raw[1].r.base = 0x30001000u;
	raw[1].r.memtype = 9;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_MEMTYPE);
	raw[1].r.memtype = 0;
	raw[1].r.perm = P_RW | PRS_EXEC;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_WX);
	raw[1].r.perm = P_R;
	rs.n = 3;
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_ARG); /* n > cap */
	rs.n = 2;
	PRS_CHECK_EQ(prs_set_build(&cpu, layers, 1, &out), PRS_OK); /* now sound */
	prs_poison(&out, sizeof(out));
	before = out;

	/* static overlap: a grant, and a hole, over kernel RAM */
	layers[0] = &dom;
	add(&dom, 0x200FF000u, 0x2000u, P_RW);
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_STATIC);
	PRS_CHECK_EQ(prs_rangeset_remove(&dom, 0x200FF000u, 0x2000u), PRS_OK);
	add(&dom, 0x000FFFC0u, 0x40u, 0);
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_STATIC);
	PRS_CHECK_EQ(prs_rangeset_remove(&dom, 0x000FFFC0u, 0x40u), PRS_OK);
	add(&base, 0x00000000u, 0x40u, P_RW); /* the base layer is checked too */
	EXPECT(prs_set_build(&cpu, layers, 1, &out), PRS_E_STATIC);
#undef EXPECT
}

static void test_layout_errors_leave_layout(void)
{
	static const struct prs_range overlapping[] = {
		{ 0x1000u, 0x1000u, P_R, 0, 0, 0 },
		{ 0x1FC0u, 0x1000u, P_R, 0, 0, 0 },
	};
	struct prs_range one = { 0x1000u, 0x1000u, P_R, 0, 0, 0 };
	struct prs_rangeset other;
	struct prs_rangeset_entry raw[1];
	struct prs_cpu_layout l, lb;

	prs_poison(&l, sizeof(l));
	lb = l;
	PRS_CHECK_EQ(prs_rangeset_init(&other, raw, 1, PRS_ARCH_AARCH64), PRS_OK);
	PRS_CHECK_EQ(prs_layout_init(NULL, PRS_ARCH_AARCH32, 16, NULL, 0, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, NULL, 1, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 0, NULL, 0, NULL), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, PRS_MAX_REGIONS + 1u, NULL, 0, NULL),
		     PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 1, overlapping, 2, NULL), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_init(&l, (enum prs_arch)9, 16, NULL, 0, NULL), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, NULL, 0, &other), PRS_E_ARG);
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, overlapping, 2, NULL),
		     PRS_E_CONFLICT);
	one.base = 0x1020u;
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, &one, 1, NULL), PRS_E_ALIGN);
	one.base = 0x1000u;
	one.perm = 0;
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, &one, 1, NULL), PRS_E_PERM);
	one.perm = P_RW | PRS_EXEC;
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, &one, 1, NULL), PRS_E_WX);
	PRS_CHECK(prs_same_bytes(&l, &lb, sizeof(l)));
	one.opts = PRS_OPT_ALLOW_WX;
	PRS_CHECK_EQ(prs_layout_init(&l, PRS_ARCH_AARCH32, 16, &one, 1, NULL), PRS_OK);
	PRS_CHECK_EQ(l.nstatic, 1);
	PRS_CHECK_EQ(l.statics[0].limit, 0x1FFFu);
}

static void test_no_layers_gives_statics_only(void)
{
	setup(16, statics2, 2);
	cpu.base = NULL;
	PRS_CHECK_EQ(prs_set_build(&cpu, NULL, 0, &out), PRS_OK);
	PRS_CHECK_EQ(out.ndyn, 0);
	expect_disabled_from(2);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_layers_split_and_holes),
	PRS_TEST_ENTRY(test_equal_neighbours_merge),
	PRS_TEST_ENTRY(test_inner_range_sticking_out),
	PRS_TEST_ENTRY(test_gap_follows_address_order),
	PRS_TEST_ENTRY(test_bound_is_tight),
	PRS_TEST_ENTRY(test_top_of_address_space),
	PRS_TEST_ENTRY(test_nospace_exact),
	PRS_TEST_ENTRY(test_build_errors_leave_output),
	PRS_TEST_ENTRY(test_layout_errors_leave_layout),
	PRS_TEST_ENTRY(test_no_layers_gives_statics_only),
	PRS_TEST_ENTRY(test_capacity_errors),
	PRS_TEST_ENTRY(test_nospace_at_capacity),
	PRS_TEST_ENTRY(test_oversized_hot_order),
	PRS_TEST_ENTRY(test_fitting_set_keeps_address_order),
	PRS_TEST_ENTRY(test_oversized_order_random),
};

PRS_TEST_MAIN("lib_build", prs_tests)
