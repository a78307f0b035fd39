/* SPDX-License-Identifier: MIT */
/*
 * Boots a static system whose every set comes from prs-gen (gen_boot.txt,
 * run at build time by prs_generate_sets()): the MPU is loaded with the
 * generated static image, the CPU is added with it, each thread's sets are
 * published with prs_gen_publish() (no builder: the link check
 * qemu_gen_boot_no_builder fails if prs_set_build is in the image), and
 * switching to each thread must leave exactly its generated set in the MPU.
 * Catches: a generated image or set the library refuses, a header whose
 * indices do not match the tables, a publish path that changes a set.
 */
#include "prs_test.h"
#include "rt/mpu.h"
#include "rt/rt.h"
#include "prs_gen.h"
#include "prsched/gen_boot.h"
#include "prsched/error.h"

static struct prs_system sys;
static struct prs_cpu cpu;
static struct prs_handle handle[PRS_GEN_NTHREADS];
static struct prs_version scratch;
static PRS_POOL_DEFINE(pool, PRS_GEN_NTHREADS + 2u + PRS_GEN_NCPUS + 1u, PRS_GEN_NCPUS,
		       PRS_MAX_REGIONS);

static void reload(void *ctx, uint32_t mask)
{
	(void)ctx;
	(void)mask; /* one CPU, and every publish happens before the first switch */
}

/* The generated image replaces the runtime's static map. Slots above 0 go
 * first, so the new slot 0 never overlaps an old region (a double hit
 * faults); meanwhile EL1 runs on the background map (SCTLR.BR). */
static void load_image(const struct prs_set *img)
{
	unsigned n = rt_mpu_nregions();

	for (unsigned i = n; i-- > 1u;)
		(void)rt_mpu_write(i, 0, 0);
	rt_mpu_sync();
	for (unsigned i = 0; i < img->nstatic; i++)
		(void)rt_mpu_write(i, (uint32_t)img->prbar[i], (uint32_t)img->prlar[i]);
	rt_mpu_sync();
}

/* What the MPU holds equals s: every enabled slot, and nothing else enabled. */
static int mpu_holds(const struct prs_set *s)
{
	for (unsigned i = 0; i < rt_mpu_nregions(); i++) {
		uint32_t b, l;

		if (rt_mpu_read(i, &b, &l) != 0)
			return 0;
		if (i < (unsigned)s->nstatic + s->ndyn) {
			if (b != s->prbar[i] || l != s->prlar[i])
				return 0;
		} else if (l & 1u) {
			return 0;
		}
	}
	return 1;
}

static void test_boot_from_generated_sets(void)
{
	extern char __rt_rw_end[];
	const struct prs_system_config cfg = {
		.ncpus = PRS_GEN_NCPUS, .reload = reload, .ctx = NULL,
		.flags = PRS_SYS_CHECK_PLACEMENT,
		.mair = RT_MAIR0_VALUE | ((uint64_t)RT_MAIR1_VALUE << 32),
		.pool = pool, .pool_bytes = sizeof(pool),
	};

	PRS_CHECK((uintptr_t)__rt_rw_end <= 0x20200000u); /* inside static slot 0 */
	PRS_CHECK_EQ(PRS_GEN_NCPUS, 1);
	load_image(prs_gen_cpu_images[PRS_GEN_CPU_c0]);
	PRS_CHECK(mpu_holds(prs_gen_cpu_images[PRS_GEN_CPU_c0]));
	PRS_CHECK_EQ(prs_system_init(&sys, &cfg), PRS_OK);
	PRS_CHECK_EQ(prs_cpu_init(&sys, &cpu, PRS_GEN_CPU_c0, prs_gen_cpu_layouts[PRS_GEN_CPU_c0]),
		     PRS_OK);
	for (unsigned t = 0; t < PRS_GEN_NTHREADS; t++)
		PRS_CHECK_EQ(prs_gen_publish(&handle[t], &sys, prs_gen_sets[t], PRS_GEN_NCPUS,
					     &scratch), PRS_OK);
	/* every order of the three threads, and back to the first */
	static const unsigned order[] = { PRS_GEN_THREAD_t0, PRS_GEN_THREAD_t1, PRS_GEN_THREAD_t2,
					  PRS_GEN_THREAD_t0, PRS_GEN_THREAD_t2, PRS_GEN_THREAD_t1,
					  PRS_GEN_THREAD_t0 };
	for (unsigned k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		const struct prs_set *want = prs_gen_sets[order[k]][PRS_GEN_CPU_c0];

		prs_switch(&cpu, &handle[order[k]]);
		if (!mpu_holds(want))
			prs_test_printf("  after switch %u to thread %u\n", k, order[k]);
		PRS_CHECK(mpu_holds(want));
	}
	/* the thread with a domain (2 parts), its stack and a private range */
	PRS_CHECK_EQ(prs_gen_sets[PRS_GEN_THREAD_t2][0]->ndyn, 4u);
}

static void test_publish_refuses_wrong_input(void)
{
	static struct prs_handle h;

	PRS_CHECK_EQ(prs_gen_publish(&h, &sys, prs_gen_sets[0], PRS_GEN_NCPUS + 1u, &scratch),
		     PRS_E_ARG);
	PRS_CHECK_EQ(prs_gen_publish(&h, &sys, NULL, PRS_GEN_NCPUS, &scratch), PRS_E_NULL);
	/* the CPU's static image is a valid set too: no dynamic region at all */
	const struct prs_set *img[1] = { prs_gen_cpu_images[0] };
	PRS_CHECK_EQ(prs_gen_publish(&h, &sys, img, PRS_GEN_NCPUS, &scratch), PRS_OK);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_boot_from_generated_sets),
	PRS_TEST_ENTRY(test_publish_refuses_wrong_input),
};

PRS_TEST_MAIN("qemu_gen_boot", prs_tests)
