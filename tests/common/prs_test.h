/* SPDX-License-Identifier: MIT */
/*
 * A minimal test harness that builds both on the host and freestanding on
 * the Cortex-R52 firmware (where printing goes through the bare-metal
 * runtime's console). A suite is a table of functions; each check that fails
 * prints its file, line and values, and the run ends with the plain line
 * "N passed, M failed" that CI reads. main() returns non-zero on any failure,
 * which the firmware turns into QEMU's exit code.
 */
#ifndef PRS_TEST_H
#define PRS_TEST_H

#include <stddef.h>
#include <stdint.h>

struct prs_test {
	const char *name;
	void (*fn)(void);
};

/* Implemented by tests/common/prs_test.c (host) or the firmware runtime. */
void prs_test_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int prs_test_run(const char *suite, const struct prs_test *tests, size_t n);
/* Seed for this run: PRS_SEED from the environment on the host, else fixed. */
uint64_t prs_test_seed(void);
/* Fails the current test (used by the macros below). */
void prs_test_fail(const char *file, int line, const char *expr);
void prs_test_fail_eq(const char *file, int line, const char *a, const char *b,
		      unsigned long long va, unsigned long long vb);
/* Non-zero once the current test has failed (to stop loops early). */
int prs_test_failed(void);

#define PRS_CHECK(c)                                                  \
	do {                                                          \
		if (!(c))                                             \
			prs_test_fail(__FILE__, __LINE__, #c);        \
	} while (0)

#define PRS_CHECK_EQ(a, b)                                                    \
	do {                                                                  \
		unsigned long long prs_va_ = (unsigned long long)(a);         \
		unsigned long long prs_vb_ = (unsigned long long)(b);         \
		if (prs_va_ != prs_vb_)                                       \
			prs_test_fail_eq(__FILE__, __LINE__, #a, #b, prs_va_, \
					 prs_vb_);                            \
	} while (0)

#define PRS_TEST_ENTRY(fn) { #fn, fn }

/* Defines main() running `tests` (an array) as suite `suite`. */
#define PRS_TEST_MAIN(suite, tests)                                         \
	int main(void);                                                     \
	int main(void)                                                      \
	{                                                                   \
		return prs_test_run(suite, tests,                           \
				    sizeof(tests) / sizeof((tests)[0]));    \
	}

/* xorshift64*: small, deterministic, good enough for test inputs. */
static inline uint64_t prs_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform-ish value in [0, n). n > 0. */
static inline uint64_t prs_rand_below(uint64_t *s, uint64_t n)
{
	return prs_rand(s) % n;
}

#endif
