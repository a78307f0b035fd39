/* SPDX-License-Identifier: MIT */
/* The test-only perturbation state (prsched/testing.h), in the tests' copy of the library. */
#include "prsched/testing.h"

#if !PRS_TESTING
#error "prs_testing.c belongs to the PRS_TESTING=1 copy of the library only"
#endif

struct prs_test_cpu prs_test_cpu[PRS_MAX_CPUS];
