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

/* One switch to thread t (0 or 1). */
typedef void bench_fn(unsigned t);

struct bench_impl {
	const char *name;
	/* Build the implementation's per-thread state from `p`; 0 on success. */
	int (*setup)(const struct bench_pair *p);
	/* Make thread t (0 or 1) the one running on this CPU. */
	bench_fn *switch_to;
	/* The same sequence, compiled with counting accessors (mpu_a32.h). */
	bench_fn *switch_count;
	/* Optional: the sequence for n dynamic regions (counting twin if
	 * `counting`), used instead of switch_to/switch_count; NULL if the
	 * implementation has none for n (setup then fails). */
	bench_fn *(*pick)(unsigned n, int counting);
	/* Optional: m switches timed by the implementation's own loop, to
	 * threads first ^ (i & alternate), i = 0..m-1; with `empty` the same
	 * loop calling an empty function of the same signature (the harness
	 * cost subtracted). Returns CNTPCT ticks. For entry points that take
	 * more than a thread number (prsched's prs_switch(cpu, handle)), so
	 * that the timed loop calls them directly, with no wrapper. */
	uint64_t (*run)(unsigned first, unsigned m, unsigned alternate, int empty);
	/* 1: writes and barriers are counted by the library's own counters,
	 * which only its PRS_STATS=1 copy keeps (the counting firmware). */
	int lib_counts;
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

/* Filled in by the counting builds (mpu_a32.h) and by prsched's counters:
 * MPU register writes, barriers, acquire/release accesses (LDA/STL and the
 * exclusives LDAEX/STLEX, which are acquire/release too). */
extern unsigned bench_nwrites, bench_nbarriers, bench_nacqrel;

/* Ticks of m calls of sw(first ^ (i & alternate)) in the generic loop. */
uint64_t bench_loop(bench_fn *sw, unsigned first, unsigned m, unsigned alternate);

/* Zephyr's spin loop counts its failed CAS attempts here (contended case). */
extern volatile unsigned bench_spins;

/*
 * prsched's oversized sets (issue 13; impl_prsched.c, driven by
 * switch_bench.c's run_over). Two threads whose sets hold more regions than
 * the CPU has dynamic slots: the switch loads the first slots' worth and
 * prs_fault brings the others in.
 */
#define BENCH_MAX_SET 64u

struct bench_over {
	unsigned nset; /* dynamic regions in each thread's set */
	uint32_t home; /* an address in the home gap */
	/* In: thread t's regions, any order. Out: in the set's order (the
	 * builder's: hottest first), the index prs_fault's look-up walks. */
	uint32_t prbar[2][BENCH_MAX_SET];
	uint32_t prlar[2][BENCH_MAX_SET];
};

/* What one step of bench_prsched_over is, for its switch_to/switch_count/run. */
enum bench_over_kind {
	BENCH_OVER_SWITCH, /* prs_switch to thread t */
	BENCH_OVER_FAULT,  /* prs_fault on thread 0 at the next address of addr[0] */
	BENCH_OVER_SLICE,  /* prs_switch to thread t, then prs_fault at each of addr[t] */
};

/*
 * Build and publish the two threads' sets of `o` for the CPU layout of p's
 * static slots (capacity: the build's largest, PRS_MAX_SET_REGIONS), switch
 * core 0 to thread 0; rewrites o's arrays in the set's order. 0 on success.
 */
int bench_over_setup(const struct bench_pair *p, struct bench_over *o);
/* Dynamic regions a set may hold in this build with p->nstatic static slots. */
unsigned bench_over_max(const struct bench_pair *p);
/*
 * Select the step: addr[t][0..n) (EL0 loads at those addresses), and
 * whether every prs_fault of a timed run must return PRS_FAULT_RETRY
 * (expect_retry) or PRS_FAULT_REAL; a timed run that breaks it counts in
 * bench_over_bad(). The fault step walks addr[0] cyclically, from where
 * the previous one stopped.
 */
void bench_over_select(enum bench_over_kind kind, const uint32_t *addr0, const uint32_t *addr1,
		       unsigned n, int expect_retry);
unsigned bench_over_bad(void);
extern const struct bench_impl bench_prsched_over;

/* Filled in by the counting build for a step of bench_prsched_over: switches,
 * prs_fault calls, regions prs_fault wrote into a slot (prsched's counters). */
extern unsigned bench_nswitches, bench_nfaults, bench_nfault_ins;

#endif
