/* SPDX-License-Identifier: MIT */
/*
 * QEMU mps3-an536 switch-latency benchmark (run under -icount shift=0,
 * sleep=off: 1 virtual ns per instruction, CNTPCT at 62.5 MHz = 16 ns/tick).
 *
 * For N dynamic regions and each implementation, core 0 switches between two
 * threads whose MPU images are the same two register arrays for everyone
 * (struct bench_pair): "full" (every dynamic region differs), "half" (the
 * upper ceil(N/2) regions differ, the lower ones are identical in the same
 * slots) and "same" (switching to the running thread again). Output, one
 * line per (impl, case, N) as it is measured:
 *
 *   CSV,impl,case,regions,virt_ns_per_switch,mpu_writes,barriers,acqrel
 *
 * virt_ns_per_switch: CNTPCT ticks over M switches * 16 / M, minus the
 * harness loop's own cost (the same loop calling an empty function, printed
 * once as "# harness"). M is chosen so the run is >= BENCH_TARGET_NS of
 * virtual time (a tick is then < 0.01 %). mpu_writes/barriers/acqrel: one
 * switch of the same case, counted by the baselines' counting twins
 * (mpu_a32.h). prsched is timed with the production library, which keeps
 * no counters: its rows print "-" there, and the same source built with
 * BENCH_PRS_STATS=1 against a copy of the library compiled with
 * PRS_STATS=1 (prs_bench_switch_stats) prints only prsched's counted rows,
 * with no timing ("-"); run.sh merges the two. prsched's acquire/release
 * accesses come from its disassembly (run.sh, check_switch_asm.py).
 *
 * "uncontended-max" / "contended-max": the largest single switch (full
 * change) on core 0 over BENCH_SAMPLES samples, with core 1 idle / with core
 * 1 republishing the same two threads without pause. QEMU's icount mode runs
 * the two vCPUs round-robin on one host thread with ~100 ms virtual slices
 * and one virtual clock for both, so "concurrency" has to be arranged: before
 * each sample core 0 arms its virtual timer a pseudo-random 2..65 ticks
 * ahead (IMASK set, no interrupt) and spins until it passes; core 1 runs its
 * republish loop until that deadline ends its slice, i.e. it stops at an
 * arbitrary instruction, possibly in the middle of a publish or while
 * holding Zephyr's flag (stop_core1_after). Core 0 then times one switch
 * against that state. A switch that must wait (Zephyr's CAS loop) yields,
 * so core 1 finishes its critical section inside the timed interval, as it
 * would in parallel on silicon. A sample during which core 1 ran although
 * core 0 never waited (QEMU's own 100 ms slice ended inside it) measured
 * the emulator, not the switch: it is dropped and counted ("# dropped").
 *
 * Then prsched alone with sets larger than the MPU (issue 13): the cost of
 * prs_fault and of a time slice that faults in every region the switch
 * does not load, as FAULT lines (the section "oversized sets" below).
 */
#include <stddef.h>
#include <stdint.h>

#include "rt/rt.h"

#include "bench.h"
#include "mpu_a32.h"

#ifndef BENCH_QUICK
#define BENCH_QUICK 0
#endif
#ifndef BENCH_HAVE_PRSCHED
#define BENCH_HAVE_PRSCHED 0
#endif
#ifndef BENCH_PRS_STATS
#define BENCH_PRS_STATS 0
#endif
/* prsched alone, timed: the build against a differently configured copy of
 * the library (prs_bench_switch_fixed: PRS_NSTATIC, named by BENCH_PRS_NAME). */
#ifndef BENCH_PRS_ONLY
#define BENCH_PRS_ONLY 0
#endif

#if BENCH_QUICK
#define BENCH_TARGET_NS 4000u
#define BENCH_MIN_M 16u
#define BENCH_SAMPLES 64u
#else
#define BENCH_TARGET_NS 400000u
#define BENCH_MIN_M 256u
#define BENCH_SAMPLES 3000u
#endif
#define BENCH_MAX_M 65536u
#define BENCH_NS_PER_TICK 16u
#define BENCH_REGION_SIZE 0x1000u
#define BENCH_REGION_STRIDE 0x2000u
#define BENCH_WINDOW 0x100000u /* per thread image: 1 MiB */

unsigned bench_nwrites, bench_nbarriers, bench_nacqrel;
unsigned bench_nswitches, bench_nfaults, bench_nfault_ins;
volatile unsigned bench_spins;

static const unsigned bench_ns[] = { 1, 2, 4, 8, 12 };

enum bench_case { CASE_FULL, CASE_HALF, CASE_SAME };
static const char *const case_name[] = { "full", "half", "same" };

static unsigned failures;

/* ---- region images ---------------------------------------------------- */

/* EL0+EL1 RW, XN, inner shareable, AttrIndx 0 (Normal WB): a data region. */
static uint32_t enc_prbar(uint32_t base)
{
	return base | RT_PRBAR_SH_INNER | RT_PRBAR_AP_RW | RT_PRBAR_XN;
}

static uint32_t enc_prlar(uint32_t base)
{
	return rt_prlar(base + BENCH_REGION_SIZE - 1u, RT_ATTR_NORMAL_WB);
}

/*
 * Region i of thread t: thread 0 at lo + i * stride; thread 1 at hi + i *
 * stride, except, for "half", its lowest N - ceil(N/2) regions, which are
 * thread 0's (they sort first, so they land in the same slots).
 */
static uint32_t region_base(uint32_t lo, unsigned t, unsigned i, unsigned n,
			    enum bench_case c)
{
	unsigned keep = c == CASE_HALF ? n - (n + 1u) / 2u : 0u;

	if (t == 0 || i < keep)
		return lo + i * BENCH_REGION_STRIDE;
	return lo + BENCH_WINDOW + i * BENCH_REGION_STRIDE;
}

/* The register images both threads get in every implementation. */
static void pair_fill(struct bench_pair *p, uint32_t lo, unsigned n, enum bench_case c)
{
	p->n = n;
	for (unsigned t = 0; t < 2; t++) {
		for (unsigned s = 0; s < BENCH_MAX_SLOTS; s++) {
			p->prbar[t][s] = 0u;
			p->prlar[t][s] = 0u;
		}
		for (unsigned s = 0; s < p->nstatic; s++)
			(void)rt_mpu_read(s, &p->prbar[t][s], &p->prlar[t][s]);
		for (unsigned i = 0; i < n; i++) {
			uint32_t b = region_base(lo, t, i, n, c);

			p->prbar[t][p->nstatic + i] = enc_prbar(b);
			p->prlar[t][p->nstatic + i] = enc_prlar(b);
		}
	}
}

/* ---- timing ---------------------------------------------------------- */

static void __attribute__((noinline)) switch_empty(unsigned t)
{
	__asm__ volatile("" : : "r"(t) : "memory");
}

uint64_t __attribute__((noinline, noclone)) bench_loop(bench_fn *sw, unsigned first, unsigned m,
					      unsigned alternate)
{
	uint64_t t0 = rt_cntpct();

	for (unsigned i = 0; i < m; i++)
		sw(first ^ (i & alternate));
	return rt_cntpct() - t0;
}

static uint64_t harness_ticks(unsigned m)
{
	return bench_loop(switch_empty, 0u, m, 1u);
}

/* m switches of sw (or, with `empty`, the same loop's own cost), in ticks. */
static uint64_t ticks(const struct bench_impl *im, bench_fn *sw, unsigned first, unsigned m,
		      unsigned alternate, int empty)
{
	if (im->run)
		return im->run(first, m, alternate, empty);
	return bench_loop(empty ? switch_empty : sw, first, m, alternate);
}

/* Virtual ns per switch, times 10, harness subtracted. */
static uint32_t ns10_per_switch(const struct bench_impl *im, bench_fn *sw, unsigned m,
				unsigned alternate)
{
	uint64_t t = ticks(im, sw, 0u, m, alternate, 0);
	uint64_t h = ticks(im, sw, 0u, m, alternate, 1);
	uint64_t d = t > h ? t - h : 0u;

	return (uint32_t)((d * BENCH_NS_PER_TICK * 10u + m / 2u) / m);
}

static unsigned pick_m(const struct bench_impl *im, bench_fn *sw, unsigned alternate)
{
	uint32_t est10 = ns10_per_switch(im, sw, 32u, alternate);
	uint32_t est = est10 / 10u + 1u;
	uint32_t m = BENCH_TARGET_NS / est + 1u;

	if (m < BENCH_MIN_M)
		m = BENCH_MIN_M;
	if (m > BENCH_MAX_M)
		m = BENCH_MAX_M;
	return (m + 1u) & ~1u;
}

/* ---- one (impl, case, N) --------------------------------------------- */

struct counts {
	unsigned w, b, o;
	unsigned sw, f, fi; /* prsched's oversized steps: switches, prs_fault calls, fault-ins */
};

static void count_one(bench_fn *sw_count, unsigned t, struct counts *k)
{
	bench_nwrites = 0;
	bench_nbarriers = 0;
	bench_nacqrel = 0;
	bench_nswitches = 0;
	bench_nfaults = 0;
	bench_nfault_ins = 0;
	sw_count(t);
	k->w = bench_nwrites;
	k->b = bench_nbarriers;
	k->o = bench_nacqrel;
	k->sw = bench_nswitches;
	k->f = bench_nfaults;
	k->fi = bench_nfault_ins;
}

/* The switch sequence of im for n regions, or its counting twin. */
static bench_fn *sequence(const struct bench_impl *im, unsigned n, int counting)
{
	if (im->pick)
		return im->pick(n, counting);
	return counting ? im->switch_count : im->switch_to;
}

/*
 * One CSV row. Fields this build cannot know print as "-": prsched's
 * counts in the timing build (production library, no counters), its time
 * in the counting build (BENCH_PRS_STATS), its acquire/release count in
 * both (run.sh takes it from the disassembly).
 */
static void print_row(const struct bench_impl *im, const char *cs, unsigned n, uint32_t ns10,
		      const struct counts *k)
{
	int prs = im->lib_counts;

	rt_printf("CSV,%s,%s,%u,", im->name, cs, n);
	if (BENCH_PRS_STATS)
		rt_printf("-,");
	else
		rt_printf("%lu.%lu,", (unsigned long)(ns10 / 10u), (unsigned long)(ns10 % 10u));
	if (prs && !BENCH_PRS_STATS)
		rt_printf("-,-,-\n");
	else if (prs)
		rt_printf("%u,%u,-\n", k->w, k->b);
	else
		rt_printf("%u,%u,%u\n", k->w, k->b, k->o);
}

static void run_case(const struct bench_impl *im, const char *label, struct bench_pair *p,
		     uint32_t lo, unsigned n, enum bench_case c)
{
	unsigned alternate = c == CASE_SAME ? 0u : 1u;
	bench_fn *sw = sequence(im, n, 0), *swc = sequence(im, n, 1);
	struct counts k;
	unsigned m;
	uint32_t ns10 = 0;

	pair_fill(p, lo, n, c == CASE_SAME ? CASE_FULL : c);
	if (!sw || !swc || im->setup(p) != 0) {
		rt_printf("# %s: setup failed for N=%u\n", im->name, n);
		failures++;
		return;
	}
	/* Start on thread 0; count one switch of this case (0 -> 1, or 0 -> 0),
	 * which leaves thread 1 (or 0) loaded so the timed loop's first switch
	 * (to thread 0) is of the same kind as the rest. */
	sw(1);
	sw(0);
	count_one(swc, alternate, &k);
	if (!BENCH_PRS_STATS) {
		m = pick_m(im, sw, alternate);
		ns10 = ns10_per_switch(im, sw, m, alternate);
	}
	print_row(im, label ? label : case_name[c], n, ns10, &k);
	if (im->teardown)
		im->teardown();
}

/* ---- maxima, contended ---------------------------------------------- */

static volatile uint32_t c1_stop, c1_progress;
static const struct bench_impl *c1_impl;

static void core1_republish(void *arg)
{
	(void)arg;
	while (!c1_stop) {
		c1_impl->republish(0);
		c1_progress = c1_progress + 1u;
		c1_impl->republish(1);
		c1_progress = c1_progress + 1u;
	}
}

static inline uint64_t cntvct(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* CNTV_CVAL, then CNTV_CTL = ENABLE | IMASK: a deadline, never an IRQ. */
static inline void vtimer_arm(uint64_t cval)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14" : : "r"((uint32_t)cval),
			 "r"((uint32_t)(cval >> 32)) : "memory");
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(3u) : "memory");
}

static inline void vtimer_disarm(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(0u) : "memory");
}

/*
 * Stop core 1 at a pseudo-random point of its loop. Writing CNTV_CVAL makes
 * QEMU kick core 0 out of its time slice (icount must recompute budgets
 * when a deadline moves closer); the round then runs core 1 with a budget
 * capped at that deadline, and the next round starts with core 0 and no
 * deadline pending, so core 0's slice is long and the timed switch that
 * follows runs without core 1. Core 0 spins until the deadline has passed
 * (in either order of events); it never yields here: a YIELD would end the
 * round early and let core 1 run again with an arbitrary budget.
 */
static void stop_core1_after(uint32_t ticks)
{
	uint64_t cval = cntvct() + ticks;

	vtimer_arm(cval);
	while (cntvct() < cval)
		;
	vtimer_disarm();
}

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/*
 * Largest single full-change switch in ns (ticks * 16: each sample is
 * quantized to the 16 ns tick, so maxima carry up to +16 ns). *dropped
 * counts samples disturbed by the emulator's own time slicing.
 */
static uint32_t max_switch(const struct bench_impl *im, bench_fn *sw, unsigned *dropped)
{
	uint32_t seed = 0x9e3779b9u, worst = 0;

	*dropped = 0;
	for (unsigned i = 0; i < BENCH_SAMPLES; i++) {
		uint32_t p0, s0, d;

		stop_core1_after(2u + (xorshift32(&seed) & 63u));
		p0 = c1_progress;
		s0 = bench_spins;
		d = (uint32_t)ticks(im, sw, i & 1u, 1u, 0u, 0);
		if (c1_progress != p0 && bench_spins == s0) {
			(*dropped)++;
			continue;
		}
		if (d > worst)
			worst = d;
	}
	return worst * BENCH_NS_PER_TICK;
}

static void run_max(const struct bench_impl *im, struct bench_pair *p, uint32_t lo, unsigned n)
{
	bench_fn *sw = sequence(im, n, 0), *swc = sequence(im, n, 1);
	struct counts k;
	unsigned dropped;
	uint32_t ns;

	pair_fill(p, lo, n, CASE_FULL);
	if (!sw || !swc || im->setup(p) != 0) {
		rt_printf("# %s: setup failed for N=%u\n", im->name, n);
		failures++;
		return;
	}
	sw(1);
	sw(0);
	count_one(swc, 1u, &k);
	if (BENCH_PRS_STATS) {
		/* Counts only: the maxima are the timing build's. */
		print_row(im, "uncontended-max", n, 0u, &k);
		print_row(im, "contended-max", n, 0u, &k);
		if (im->teardown)
			im->teardown();
		return;
	}

	ns = max_switch(im, sw, &dropped);
	print_row(im, "uncontended-max", n, ns * 10u, &k);

	c1_impl = im;
	c1_stop = 0;
	if (rt_start_secondary(core1_republish, NULL) != 0) {
		rt_printf("# core 1 is not available: no contended case\n");
		failures++;
	} else {
		unsigned spins0 = bench_spins, progress0 = c1_progress;

		ns = max_switch(im, sw, &dropped);
		c1_stop = 1;
		rt_cpu_wait_idle(1);
		print_row(im, "contended-max", n, ns * 10u, &k);
		rt_printf("# %s N=%u contended: core 1 made %u republishes, core 0 "
			  "spun %u times, %u samples dropped\n",
			  im->name, n, (unsigned)c1_progress - progress0, bench_spins - spins0,
			  dropped);
		if (im->note)
			im->note();
	}
	if (im->teardown)
		im->teardown();
}

/* ---- windows ---------------------------------------------------------- */

/* Whether [lo, hi] meets a static region. */
static int meets_static(uint32_t lo, uint32_t hi)
{
	for (unsigned s = 0; s < rt_mpu_nstatic(); s++) {
		struct rt_mpu_region r;

		if (rt_mpu_static_region(s, &r) == 0 && r.base <= hi && lo <= r.limit)
			return 1;
	}
	return 0;
}

/* A 2 MiB window for the two threads' regions, outside every static region
 * (the runtime's SCTLR.BR=1 makes it reachable at EL1 without one). */
static uint32_t pick_window(void)
{
	uint32_t lo = ((uint32_t)(uintptr_t)__rt_free_start + BENCH_WINDOW - 1u) &
		      ~(BENCH_WINDOW - 1u);

	if (lo + 2u * BENCH_WINDOW - 1u > (uint32_t)(uintptr_t)__rt_ram_end - 1u ||
	    meets_static(lo, lo + 2u * BENCH_WINDOW - 1u))
		return 0;
	return lo;
}

/* ---- oversized sets (issue 13) ---------------------------------------- */

/*
 * prsched alone: two threads whose sets hold nset > K dynamic regions (K =
 * the CPU's dynamic slots), built by the library (one layer: address
 * order), thread t's i-th region at lo + t * BENCH_WINDOW + i *
 * BENCH_REGION_STRIDE like the switch rows'; in the "ordered" sets the
 * last one is replaced by a region below the image, outside the home gap
 * (prs_fault then orders its writes, and the switch takes the ordered
 * copy). One line per case:
 *
 *   FAULT,case,set_regions,slots,scan,virt_ns,mpu_writes,barriers,switches,faults,fault_ins
 *
 * per step: "switch-over" one full-change switch between the two sets
 * (it copies the first K regions); "fault-*" one prs_fault on the running
 * thread, called directly by the timed loop (no abort), at EL0 loads that
 * cycle over K + 1 consecutive regions of the set's order, so round robin
 * has evicted each one again before it is touched ("first": the set's
 * first K + 1, the short look-up; "last": its last K + 1, the long one);
 * "fault-real" at an address no region grants (the look-up walks the whole
 * set, the fault goes to the kernel); "slice" a time slice of a thread
 * that touches all its regions: the switch, then the nset - K it does not
 * load, each faulting in. scan: set entries the look-up walks per prs_fault
 * call, on average. Times and counts as for the switch rows (production
 * library timed, counts from the PRS_STATS=1 copy); every timed prs_fault
 * is checked to have returned RETRY (REAL for fault-real).
 */
#if BENCH_HAVE_PRSCHED && !BENCH_PRS_ONLY
#define BENCH_EL0_LOAD_OFFSET 0x100u /* where in a region the load goes */

static struct bench_over over;
static uint32_t over_addr[2][BENCH_MAX_SET];

/* Thread t's regions of an nset set; `away`: the last one at away + t * stride. */
static void over_fill(struct bench_over *o, uint32_t lo, uint32_t away, unsigned nset)
{
	o->nset = nset;
	o->home = lo;
	for (unsigned t = 0; t < 2; t++)
		for (unsigned i = 0; i < nset; i++) {
			uint32_t b = away && i + 1u == nset ? away + t * BENCH_REGION_STRIDE
							    : region_base(lo, t, i, nset, CASE_FULL);

			o->prbar[t][i] = enc_prbar(b);
			o->prlar[t][i] = enc_prlar(b);
		}
}

/*
 * One row: a step of `kind` over the set indices [first, first + n) of each
 * thread (real: at an address just past the set's first region, which no
 * region grants).
 */
static void over_row(const char *cs, enum bench_over_kind kind, unsigned k, unsigned first,
		     unsigned n, int real)
{
	const struct bench_impl *im = &bench_prsched_over;
	unsigned alternate = kind == BENCH_OVER_FAULT ? 0u : 1u;
	unsigned warm = kind == BENCH_OVER_FAULT ? 2u * n : 2u, scan10 = 0;
	struct counts c;
	uint32_t ns10 = 0;

	for (unsigned t = 0; t < 2; t++)
		for (unsigned j = 0; j < n; j++) {
			uint32_t b = over.prbar[t][real ? 0u : first + j] & ~(RT_MPU_ALIGN - 1u);

			over_addr[t][j] = b + (real ? BENCH_REGION_SIZE : 0u) + BENCH_EL0_LOAD_OFFSET;
		}
	if (kind != BENCH_OVER_SWITCH)
		scan10 = real ? 10u * over.nset : 10u * first + 5u * (n + 1u);
	bench_over_select(kind, over_addr[0], over_addr[1], n, !real);
	/* Two rounds of the cycle (or switches to 1, then 0): from here on every
	 * step is the steady one the timed loop repeats. */
	for (unsigned i = 0; i < warm; i++)
		im->switch_to((i + 1u) & 1u);
	count_one(im->switch_count, alternate, &c);
	if (!BENCH_PRS_STATS)
		ns10 = ns10_per_switch(im, NULL, pick_m(im, NULL, alternate), alternate);
	rt_printf("FAULT,%s,%u,%u,", cs, over.nset, k);
	if (scan10)
		rt_printf("%u.%u,", scan10 / 10u, scan10 % 10u);
	else
		rt_printf("-,");
	if (BENCH_PRS_STATS)
		rt_printf("-,%u,%u,%u,%u,%u\n", c.w, c.b, c.sw, c.f, c.fi);
	else
		rt_printf("%lu.%lu,-,-,-,-,-\n", (unsigned long)(ns10 / 10u),
			  (unsigned long)(ns10 % 10u));
}

/* Every case for sets of nset regions (k dynamic slots). */
static void run_over(const struct bench_pair *p, uint32_t lo, uint32_t away, unsigned nset)
{
	unsigned k = p->nregions - p->nstatic;

	over_fill(&over, lo, 0u, nset);
	if (bench_over_setup(p, &over) != 0) {
		failures++;
		return;
	}
	over_row("switch-over", BENCH_OVER_SWITCH, k, 0u, 0u, 0);
	over_row("fault-blind-first", BENCH_OVER_FAULT, k, 0u, k + 1u, 0);
	over_row("fault-blind-last", BENCH_OVER_FAULT, k, nset - k - 1u, k + 1u, 0);
	over_row("fault-real", BENCH_OVER_FAULT, k, 0u, 1u, 1);
	over_row("slice", BENCH_OVER_SLICE, k, k, nset - k, 0);
	over_fill(&over, lo, away, nset);
	if (bench_over_setup(p, &over) != 0) {
		failures++;
		return;
	}
	over_row("fault-ordered-last", BENCH_OVER_FAULT, k, nset - k - 1u, k + 1u, 0);
}

/* Sets of twice the dynamic slots, and the largest this build allows. */
static void run_over_all(const struct bench_pair *p, uint32_t lo)
{
	unsigned k = p->nregions - p->nstatic, max = bench_over_max(p);
	uint32_t away = ((uint32_t)(uintptr_t)__rt_text_start - BENCH_WINDOW) & ~(BENCH_WINDOW - 1u);

	if (meets_static(away, away + BENCH_WINDOW - 1u) || 2u * k > max) {
		rt_printf("# oversized sets: no room (%u slots, at most %u regions a set)\n", k, max);
		failures++;
		return;
	}
	rt_printf("# oversized sets: %u dynamic slots, sets of %u and %u regions, the ordered "
		  "ones with a region at 0x%08lx (outside the home gap)\n",
		  k, 2u * k, max, (unsigned long)away);
	run_over(p, lo, away, 2u * k);
	run_over(p, lo, away, max);
	failures += bench_over_bad();
}
#endif

/* ---- main ------------------------------------------------------------ */

/* The counting build (BENCH_PRS_STATS) and BENCH_PRS_ONLY run prsched alone. */
static const struct bench_impl *const impls[] = {
#if BENCH_HAVE_PRSCHED
	&bench_prsched,
#endif
#if !BENCH_PRS_STATS && !BENCH_PRS_ONLY
	&bench_zephyr,
	&bench_freertos,
	&bench_threadx,
#endif
};

int main(void)
{
	struct bench_pair p;
	uint32_t lo = pick_window();
	unsigned ndyn;

	p.nregions = rt_mpu_nregions();
	p.nstatic = rt_mpu_nstatic();
	ndyn = p.nregions - p.nstatic;
	rt_printf("# prsched QEMU switch benchmark%s%s: %u EL1 regions, %u static, %u dynamic, "
		  "%u cores, CNTFRQ %lu Hz, regions at 0x%08lx\n",
		  BENCH_QUICK ? " (quick)" : "", BENCH_PRS_STATS ? " (prsched counts only)" : "",
		  p.nregions, p.nstatic, ndyn, rt_ncpus(),
		  (unsigned long)rt_cntfrq(), (unsigned long)lo);
	if (!BENCH_HAVE_PRSCHED)
		rt_printf("# prsched switch path not built: baselines only\n");
	if (lo == 0u || p.nregions > BENCH_MAX_SLOTS || ndyn == 0u) {
		rt_printf("# no room for the benchmark's regions\n");
		return 1;
	}
	rt_printf("# harness loop: %lu ns per iteration (subtracted from every average)\n",
		  (unsigned long)(harness_ticks(4096u) * BENCH_NS_PER_TICK / 4096u));

	for (unsigned k = 0; k < sizeof(bench_ns) / sizeof(bench_ns[0]); k++) {
		unsigned n = bench_ns[k];

		if (n > ndyn) {
			rt_printf("# N=%u does not fit in %u dynamic slots: measuring N=%u instead\n",
				  n, ndyn, ndyn);
			n = ndyn;
		}
		for (unsigned i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
			for (unsigned c = CASE_FULL; c <= CASE_SAME; c++)
				run_case(impls[i], NULL, &p, lo, n, (enum bench_case)c);
#if !BENCH_PRS_STATS && !BENCH_PRS_ONLY
		run_case(&bench_freertos_save, "full+save", &p, lo, n, CASE_FULL);
#endif
		for (unsigned i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
			if (impls[i]->republish && !BENCH_PRS_ONLY)
				run_max(impls[i], &p, lo, n);
	}
#if BENCH_HAVE_PRSCHED && !BENCH_PRS_ONLY
	run_over_all(&p, lo);
#endif
	rt_printf("# done, %u failures\n", failures);
	return failures ? 1 : 0;
}
