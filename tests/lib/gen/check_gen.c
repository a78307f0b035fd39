/* SPDX-License-Identifier: MIT */
/*
 * Rebuilds valid.txt through the API (by hand, independent of the tool's
 * parser) and compares every precomputed set prs-gen wrote, byte for byte.
 */
#include "prs_test.h"
#include "prsched/build.h"
#include "prsched/error.h"

#include "gen.h" /* prs-gen -H: index names and declarations */

#define RW1 (PRS_EL1_R | PRS_EL1_W)
#define RWRW (RW1 | PRS_EL0_R | PRS_EL0_W)
#define IN PRS_SH_INNER

static const struct prs_range statics[] = {
	{ 0x00000000u, 0x100000u, PRS_EL1_R | PRS_EXEC, 0, PRS_SH_NONE, 0 },
	{ 0x20000000u, 0x100000u, RW1, 1, IN, 0 },
};

static struct prs_rangeset_entry eb[2][4], ed[4], et[3][4];
static struct prs_rangeset base[2], dom, thr[3];
static struct prs_cpu_layout cpu[2];

static void add(struct prs_rangeset *s, uint64_t b, uint64_t size, unsigned perm, unsigned mt,
		unsigned sh)
{
	struct prs_range r = { b, size, (uint8_t)perm, (uint8_t)mt, (uint8_t)sh, 0 };

	PRS_CHECK_EQ(prs_rangeset_add(s, &r), PRS_OK);
}

static void describe(void)
{
	for (unsigned c = 0; c < 2; c++) {
		PRS_CHECK_EQ(prs_rangeset_init(&base[c], eb[c], 4, PRS_ARCH_AARCH32), PRS_OK);
		PRS_CHECK_EQ(prs_layout_init(&cpu[c], PRS_ARCH_AARCH32, 16, statics, 2, &base[c]),
			     PRS_OK);
	}
	add(&base[0], 0x20100000u, 0x000FF000u, RW1, 1, IN);
	add(&base[0], 0x20200000u, 0x00600000u, RW1, 1, IN);
	add(&base[1], 0x20100000u, 0x00100000u, RW1, 1, IN);
	add(&base[1], 0x20201000u, 0x005FF000u, RW1, 1, IN);
	PRS_CHECK_EQ(prs_rangeset_init(&dom, ed, 4, PRS_ARCH_AARCH32), PRS_OK);
	add(&dom, 0x20300000u, 16384u, RWRW, 1, IN);
	add(&dom, 0x40000000u, 4096u, RWRW, 2, PRS_SH_NONE);
	for (unsigned t = 0; t < 3; t++)
		PRS_CHECK_EQ(prs_rangeset_init(&thr[t], et[t], 4, PRS_ARCH_AARCH32), PRS_OK);
	/* worker: stack 8K at 0x20400000, 256-byte guard; default RWrw, mt0, sh none */
	add(&thr[0], 0x20400000u - 256u, 256u, 0, 0, PRS_SH_NONE);
	add(&thr[0], 0x20400000u, 8192u, RWRW, 0, PRS_SH_NONE);
	/* idle: no domain, 2K stack RW mt1 inner, 64-byte guard */
	add(&thr[1], 0x20500000u - 64u, 64u, 0, 1, IN);
	add(&thr[1], 0x20500000u, 2048u, RW1, 1, IN);
	/* shared: 4K stack, no guard, one private read-only range */
	add(&thr[2], 0x20600000u, 4096u, RWRW, 0, PRS_SH_NONE);
	add(&thr[2], 0x20700000u, 0x1000u, PRS_EL1_R | PRS_EL0_R, 1, IN);
}

static int same(const struct prs_set *a, const struct prs_set *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (size_t i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static void test_generated_sets_equal_builder(void)
{
	static const int has_dom[3] = { 1, 0, 1 };
	struct prs_set s;

	describe();
	for (unsigned t = 0; t < 3; t++)
		for (unsigned c = 0; c < 2; c++) {
			const struct prs_rangeset *layers[2];
			unsigned n = 0;

			if (has_dom[t])
				layers[n++] = &dom;
			layers[n++] = &thr[t];
			PRS_CHECK_EQ(prs_set_build(&cpu[c], layers, n, &s), PRS_OK);
			if (!same(&s, prs_gen_sets[t][c]))
				prs_test_printf("  thread %u cpu %u differs\n", t, c);
			PRS_CHECK(same(&s, prs_gen_sets[t][c]));
		}
	/* each CPU's image: the static slots of its sets and nothing else */
	PRS_CHECK_EQ(PRS_GEN_NTHREADS, 3);
	PRS_CHECK_EQ(PRS_GEN_CPU_c1, 1);
	for (unsigned c = 0; c < PRS_GEN_NCPUS; c++) {
		const struct prs_set *img = prs_gen_cpu_images[c];

		PRS_CHECK_EQ(img->nstatic, 2u);
		PRS_CHECK_EQ(img->ndyn, 0u);
		PRS_CHECK_EQ(img->nslots, 16u);
		for (unsigned i = 0; i < 2u; i++) {
			PRS_CHECK_EQ(img->prbar[i], prs_gen_sets[PRS_GEN_THREAD_idle][c]->prbar[i]);
			PRS_CHECK_EQ(img->prlar[i], prs_gen_sets[PRS_GEN_THREAD_idle][c]->prlar[i]);
		}
		PRS_CHECK_EQ(img->prlar[2], 0u);
	}
	/* a value checked by hand: worker's stack, RW both (AP 01), XN, SH 00 */
	PRS_CHECK_EQ(prs_gen_sets[0][0]->prbar[6], 0x20400003u);
	PRS_CHECK_EQ(prs_gen_sets[0][0]->prlar[6], 0x20401FC1u);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_generated_sets_equal_builder),
};

PRS_TEST_MAIN("lib_gen", prs_tests)
