/* SPDX-License-Identifier: MIT */
/*
 * The switch benchmark's common contract. Every implementation switches
 * core 0 between two "threads" (0 and 1) whose MPU images are the SAME two
 * precomputed register arrays (struct bench_pair), so only the switch
 * sequence differs between implementations.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>

/* QEMU's Cortex-R52 has 16 EL1 regions; PRBARn/PRLARn reach n = 0..15. */
#define BENCH_MAX_SLOTS 16u

/*
 * Register images of two threads for one CPU. Slots [0, nstatic) are the
 * runtime's static map (never written by a switch); slots [nstatic,
 * nstatic + n) hold the thread's regions in address order; the rest are 0
 * (disabled).
 */
struct bench_pair {
	unsigned nregions; /* MPUIR */
	unsigned nstatic;
	unsigned n; /* dynamic regions per thread */
	uint32_t prbar[2][BENCH_MAX_SLOTS];
	uint32_t prlar[2][BENCH_MAX_SLOTS];
};

struct bench_impl {
	const char *name;
	/* Build the implementation's per-thread state from `p`; 0 on success. */
	int (*setup)(const struct bench_pair *p);
	/* Make thread t (0 or 1) the one running on this CPU. */
	void (*switch_to)(unsigned t);
	/* The same sequence, compiled with counting accessors (mpu_a32.h). */
	void (*switch_count)(unsigned t);
	/* Contention generator for core 1 (NULL: no contended case): rewrite
	 * thread t's regions with the values they already hold. */
	void (*republish)(unsigned t);
	/* Undo setup's global side effects (e.g. SCTLR); may be NULL. */
	void (*teardown)(void);
	/* Print implementation statistics after a contended run; may be NULL. */
	void (*note)(void);
};

extern const struct bench_impl bench_zephyr, bench_freertos, bench_freertos_save,
	bench_threadx, bench_prsched;

/* Filled in by the counting builds (mpu_a32.h) and by prsched's counters. */
extern unsigned bench_nwrites, bench_nbarriers;

/* Zephyr's spin loop counts its failed CAS attempts here (contended case). */
extern volatile unsigned bench_spins;

#endif
