/* SPDX-License-Identifier: MIT */
/* The target-independent part of the harness: counting and reporting. */
#include "prs_test.h"

static int prs_cur_failed;

void prs_test_fail(const char *file, int line, const char *expr)
{
	prs_cur_failed = 1;
	prs_test_printf("  FAIL %s:%d: %s\n", file, line, expr);
}

void prs_test_fail_eq(const char *file, int line, const char *a, const char *b,
		      unsigned long long va, unsigned long long vb)
{
	prs_cur_failed = 1;
	prs_test_printf("  FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", file, line,
			a, b, va, vb);
}

int prs_test_failed(void)
{
	return prs_cur_failed;
}

int prs_test_run(const char *suite, const struct prs_test *tests, size_t n)
{
	unsigned passed = 0, failed = 0;

	prs_test_printf("suite %s: %u tests, seed 0x%llx\n", suite, (unsigned)n,
			(unsigned long long)prs_test_seed());
	for (size_t i = 0; i < n; i++) {
		prs_cur_failed = 0;
		tests[i].fn();
		if (prs_cur_failed) {
			failed++;
			prs_test_printf("not ok %s\n", tests[i].name);
		} else {
			passed++;
			prs_test_printf("ok %s\n", tests[i].name);
		}
	}
	prs_test_printf("%s: %u passed, %u failed\n", suite, passed, failed);
	return failed != 0;
}
