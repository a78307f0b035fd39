/* SPDX-License-Identifier: MIT */
/*
 * The runtime's library pieces as a prs_test suite (which also shows a
 * prs_test.h suite linking into firmware unchanged): printf conversions
 * against hand-written expectations, mem* against byte loops, and the
 * barrier and mailbox across both cores. Catches: wrong padding/sign/64-bit
 * formatting, truncation off-by-one in rt_snprintf, memmove copying in the
 * wrong direction on overlap, a barrier that lets a core run ahead.
 */
#include <string.h>

#include "prs_test.h"
#include "rt/rt.h"

static int str_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static void check_fmt(const char *got, const char *want, int len, int want_len)
{
	if (!str_eq(got, want))
		prs_test_printf("  got \"%s\", want \"%s\"\n", got, want);
	PRS_CHECK(str_eq(got, want));
	PRS_CHECK_EQ(len, want_len);
}

#define FMT(want, ...)                                                 \
	do {                                                           \
		char b_[96];                                           \
		int n_ = rt_snprintf(b_, sizeof(b_), __VA_ARGS__);     \
		check_fmt(b_, want, n_, (int)strlen(want));            \
	} while (0)

static void test_printf_integers(void)
{
	FMT("0 -1 2147483647 -2147483648", "%d %d %d %d", 0, -1, 2147483647,
	    (int)(-2147483647 - 1));
	FMT("4294967295 ffffffff FFFFFFFF 17", "%u %x %X %o", 4294967295u,
	    0xffffffffu, 0xffffffffu, 15u);
	FMT("18446744073709551615", "%llu", 18446744073709551615ULL);
	FMT("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	FMT("42 -42", "%ld %li", 42L, -42L);
	FMT("7", "%zu", (size_t)7);
}

static void test_printf_width(void)
{
	FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	FMT("-0042", "%05d", -42);
	FMT("000000ff", "%08x", 0xffu);
	FMT("  ab|ab  |a", "%4s|%-4s|%.1s", "ab", "ab", "ab");
	FMT("x|  y", "%c|%*c", 'x', 3, 'y');
	FMT("0x20000000 (null) 100%", "%p %s 100%%", (void *)0x20000000u,
	    (const char *)NULL);
}

static void test_snprintf_truncates(void)
{
	char b[8];
	int n;

	memset(b, 'Z', sizeof(b));
	n = rt_snprintf(b, 5, "%s", "abcdefgh");
	PRS_CHECK_EQ(n, 8);
	PRS_CHECK(str_eq(b, "abcd"));
	PRS_CHECK_EQ(b[5], 'Z');
	n = rt_snprintf(b, 0, "%d", 12345);
	PRS_CHECK_EQ(n, 5);
	PRS_CHECK_EQ(b[0], 'a');
}

static unsigned char buf_a[64], buf_b[64];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7u);
}

static void test_mem_functions(void)
{
	uint64_t s = prs_test_seed();

	for (int round = 0; round < 200 && !prs_test_failed(); round++) {
		size_t off_a = (size_t)prs_rand_below(&s, 8);
		size_t off_b = (size_t)prs_rand_below(&s, 8);
		size_t n = (size_t)prs_rand_below(&s, 48);
		unsigned char ref[64];

		fill(buf_a, sizeof(buf_a), (unsigned)round);
		fill(buf_b, sizeof(buf_b), 99u);
		memcpy(buf_b + off_b, buf_a + off_a, n);
		for (size_t i = 0; i < n; i++)
			PRS_CHECK_EQ(buf_b[off_b + i], buf_a[off_a + i]);
		PRS_CHECK_EQ(memcmp(buf_b + off_b, buf_a + off_a, n), 0);
		/* overlapping move inside one buffer, both directions */
		fill(buf_a, sizeof(buf_a), (unsigned)round);
		memcpy(ref, buf_a, sizeof(ref));
		memmove(buf_a + off_b, buf_a + off_a, n);
		for (size_t i = 0; i < n; i++)
			PRS_CHECK_EQ(buf_a[off_b + i], ref[off_a + i]);
		memset(buf_b + off_a, (int)round, n);
		for (size_t i = 0; i < n; i++)
			PRS_CHECK_EQ(buf_b[off_a + i], (unsigned char)round);
	}
	buf_a[0] = buf_b[0] = 5;
	buf_a[1] = 1;
	buf_b[1] = 2;
	PRS_CHECK(memcmp(buf_a, buf_b, 2) < 0);
	PRS_CHECK(memcmp(buf_b, buf_a, 2) > 0);
	PRS_CHECK_EQ(memcmp(buf_a, buf_b, 1), 0);
}

/* Each phase, each core writes its slot; after the barrier it must see the
 * other core's value for the same phase. */
#define PHASES 50
static volatile unsigned phase_val[RT_MAX_CPUS];
static unsigned cpu1_errors;

static unsigned barrier_rounds(void)
{
	unsigned me = rt_cpu_id(), other = me ^ 1u, errors = 0;

	for (unsigned p = 1; p <= PHASES; p++) {
		phase_val[me] = p;
		rt_barrier_wait();
		if (phase_val[other] != p)
			errors++;
		rt_barrier_wait(); /* nobody writes phase p+1 before all read p */
	}
	return errors;
}

static void cpu1_rounds(void *arg)
{
	(void)arg;
	cpu1_errors = barrier_rounds();
}

static void test_barrier_two_cores(void)
{
	if (rt_ncpus() < 2u) {
		prs_test_printf("  (single core: skipped)\n");
		return;
	}
	PRS_CHECK_EQ(rt_start_secondary(cpu1_rounds, NULL), 0);
	PRS_CHECK_EQ(barrier_rounds(), 0);
	rt_cpu_wait_idle(1);
	PRS_CHECK_EQ(cpu1_errors, 0);
}

static void test_start_cpu_rejects(void)
{
	PRS_CHECK_EQ(rt_start_cpu(0, cpu1_rounds, NULL), -1); /* self */
	PRS_CHECK_EQ(rt_start_cpu(RT_MAX_CPUS, cpu1_rounds, NULL), -1);
	PRS_CHECK_EQ(rt_start_secondary(NULL, NULL), -1);
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(test_printf_integers),
	PRS_TEST_ENTRY(test_printf_width),
	PRS_TEST_ENTRY(test_snprintf_truncates),
	PRS_TEST_ENTRY(test_mem_functions),
	PRS_TEST_ENTRY(test_barrier_two_cores),
	PRS_TEST_ENTRY(test_start_cpu_rejects),
};

PRS_TEST_MAIN("qemu_rt_lib", tests)
