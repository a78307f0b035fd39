/* SPDX-License-Identifier: MIT */
/*
 * Property test: thousands of random layouts (statics, base, partitions,
 * stack + guard, raw overlapping tables) built and checked granule by
 * granule against the painting oracle. Each case has its own seed, printed
 * on failure; PRS_SEED=<run seed> reproduces the whole run.
 */
#include "prs_test.h"
#include "prs_oracle.h"
#include "prsched/error.h"

#ifndef PRS_ORACLE_CASES
#if defined(__arm__) || defined(__aarch64__)
#define PRS_ORACLE_CASES 2000u /* firmware under QEMU: a few seconds */
#else
#define PRS_ORACLE_CASES 50000u
#endif
#endif

static uint64_t prs_src_next(void *ctx)
{
	return prs_rand((uint64_t *)ctx);
}

static struct prs_oracle_case prs_case;

static void test_oracle_random(void)
{
	unsigned count[PRS_E__COUNT] = { 0 };
	uint64_t seed = prs_test_seed();

	for (unsigned i = 0; i < PRS_ORACLE_CASES && !prs_test_failed(); i++) {
		uint64_t cs = seed ^ ((uint64_t)(i + 1u) * 0x9E3779B97F4A7C15ULL), st = cs;
		struct prs_oracle_src src = { prs_src_next, &st };
		const char *why;
		int rc = -1;

		if (!st)
			st = cs = 1;
		prs_oracle_generate(&prs_case, &src);
		why = prs_oracle_check(&prs_case, &rc);
		if (why) {
			prs_test_printf("  case %u (case seed 0x%llx, run seed 0x%llx): %s, rc %s\n", i,
					(unsigned long long)cs, (unsigned long long)seed, why,
					prs_errname(rc));
			PRS_CHECK(why == 0);
		}
		if (rc >= 0 && rc < PRS_E__COUNT)
			count[rc]++;
	}
	prs_test_printf("  %u cases: ok %u, static %u, nospace %u, conflict %u\n", PRS_ORACLE_CASES,
			count[PRS_OK], count[PRS_E_STATIC], count[PRS_E_NOSPACE],
			count[PRS_E_CONFLICT]);
	/* The generator must reach every outcome, or the oracle checks nothing. */
	PRS_CHECK(count[PRS_OK] > PRS_ORACLE_CASES / 10u);
	PRS_CHECK(count[PRS_E_STATIC] > 0);
	PRS_CHECK(count[PRS_E_NOSPACE] > 0);
	PRS_CHECK(count[PRS_E_CONFLICT] > 0);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_oracle_random),
};

PRS_TEST_MAIN("lib_oracle", prs_tests)
