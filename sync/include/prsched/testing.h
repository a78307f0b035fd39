/* SPDX-License-Identifier: MIT */
/*
 * Test-only perturbation of the switch path, in the manner of liburcu's
 * debug-yield.h: compiled in only when the library is built with
 * PRS_TESTING=1 (the tests' copy, prsched_testing); in every other build
 * the macros below are empty and this state does not exist. Not installed.
 *
 * Hooks are points inside the reader steps where a test may run a writer
 * (or yield); flags select deliberately wrong MPU write orders so the tests
 * can show that the host MPU model rejects them.
 */
#ifndef PRSCHED_TESTING_H
#define PRSCHED_TESTING_H

#include "prsched/config.h"

#ifndef PRS_TESTING
#define PRS_TESTING 0
#endif

/* Wrong write orders, each of which the host MPU model must catch. */
#define PRS_TEST_ALWAYS_BLIND 1u /* blind copy even where a region moves across static memory */
#define PRS_TEST_BAR_FIRST 2u    /* ordered phase writes PRBAR first whatever the direction */
#define PRS_TEST_DISABLE_FIRST 4u /* ordered phase: PRLAR = 0 and the new PRBAR in one batch */

#if PRS_TESTING
enum prs_hook_point {
	PRS_HOOK_READ_W1,   /* fast path missed, nothing announced yet */
	PRS_HOOK_ANNOUNCED, /* LOWER(w1) and ann_h stored, w2 not read yet */
	PRS_HOOK_READ_W2,   /* EXACT(w2) stored, copy not started */
	PRS_HOOK_COPIED,    /* MPU written, loaded_* not stored yet */
	PRS_HOOK_DONE       /* loaded_* stored, ann_h not cleared yet */
};

/* Per CPU (index = CPU id): set by a test while that CPU is not switching. */
struct prs_test_cpu {
	void (*hook)(unsigned cpu, enum prs_hook_point p, void *arg);
	void *arg;
	unsigned flags;
};
extern struct prs_test_cpu prs_test_cpu[PRS_MAX_CPUS];

#define PRS_TEST_HOOK(cpu, p)                                                        \
	do {                                                                         \
		if (prs_test_cpu[(cpu)].hook)                                        \
			prs_test_cpu[(cpu)].hook((cpu), (p), prs_test_cpu[(cpu)].arg); \
	} while (0)
#define PRS_TEST_FLAG(cpu, f) ((prs_test_cpu[(cpu)].flags & (f)) != 0u)
#else
#define PRS_TEST_HOOK(cpu, p) ((void)0)
#define PRS_TEST_FLAG(cpu, f) 0
#endif

#endif
