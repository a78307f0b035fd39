/* SPDX-License-Identifier: MIT */
/* Host side of the harness: stdio and the PRS_SEED environment variable. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "prs_test.h"

void prs_test_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

uint64_t prs_test_seed(void)
{
	static uint64_t seed;
	const char *s;

	if (seed)
		return seed;
	s = getenv("PRS_SEED");
	seed = s ? strtoull(s, NULL, 0) : 0x9E3779B97F4A7C15ULL;
	if (!seed)
		seed = 1;
	return seed;
}
