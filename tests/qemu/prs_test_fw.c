/* SPDX-License-Identifier: MIT */
/*
 * Firmware side of tests/common/prs_test.h: printing goes to the runtime's
 * console, and the seed is fixed at build time (PRS_SEED, e.g. from the
 * CMake cache variable PRS_FW_SEED) since firmware has no environment.
 */
#include <stdarg.h>

#include "prs_test.h"
#include "rt/console.h"

#ifndef PRS_SEED
#define PRS_SEED 0x9E3779B97F4A7C15ULL /* same default as the host side */
#endif

void prs_test_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)rt_vprintf(fmt, ap);
	va_end(ap);
}

uint64_t prs_test_seed(void)
{
	uint64_t seed = (uint64_t)(PRS_SEED);

	return seed ? seed : 1u;
}
