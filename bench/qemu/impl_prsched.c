/* SPDX-License-Identifier: MIT */
/*
 * "prsched": the library's own switch path (prs_switch) on core 0, between
 * two handles whose published sets are built by the library's builder from
 * the benchmark's region images and checked to encode to exactly the same
 * register values the baselines load. Core 1's contention is the writer
 * side: prs_publish_begin + prs_publish_commit of the same set, in a loop.
 *
 * Everything the switch path touches (struct prs_cpu, the handles and the
 * version pool) is in the runtime's .bss, inside its Inner Shareable RW
 * static region; the library checks that (PRS_SYS_CHECK_PLACEMENT).
 *
 * Timing: the loop calls prs_switch itself (ps_loop), no wrapper; the
 * firmware links the production library, which keeps no counters. The
 * counting firmware (BENCH_PRS_STATS=1) links a copy built with
 * PRS_STATS=1 and reads the write/barrier counters around one switch.
 *
 * The publication API is confined to ps_handles_init (first version of each
 * handle) and ps_republish (core 1's writer); the counters to ps_counted.
 *
 * bench_prsched_over: the same two handles with sets larger than the MPU
 * (a layout with the build's largest capacity), its timed loops calling
 * prs_switch and prs_fault directly (bench.h, struct bench_over).
 */
#include <stddef.h>
#include <stdint.h>

#include "prsched/build.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"
#include "prsched/region.h"
#include "rt/rt.h"

#include "bench.h"

#ifndef BENCH_PRS_STATS
#define BENCH_PRS_STATS 0
#endif

static struct prs_system ps_sys;
static struct prs_cpu ps_cpu[RT_MAX_CPUS];
static struct prs_handle ps_handle[2];
static struct prs_cpu_layout ps_layout_of; /* must outlive the system */
/* Two handles, every CPU, one being built (the pool bound); one layout class. */
static PRS_POOL_DEFINE(ps_pool, 2u + RT_MAX_CPUS + 1u, 1u, PRS_MAX_REGIONS);
static struct prs_set ps_sets[2];
static struct prs_version ps_initial;
static volatile uint32_t ps_reload_requests;

/* The kernel would send an IPI whose handler calls prs_reload(); the
 * benchmark's core 0 runs with IRQs off and picks new versions up at its
 * next switch, so a request is only counted. */
static void ps_reload(void *ctx, uint32_t cpu_mask)
{
	(void)ctx;
	(void)cpu_mask;
	ps_reload_requests = ps_reload_requests + 1u;
}

static int ps_range_of(prs_reg_t prbar, prs_reg_t prlar, struct prs_range *out)
{
	struct prs_region r;
	int err = prs_region_decode(PRS_ARCH_AARCH32, prbar, prlar, &r);

	if (err != PRS_OK)
		return err;
	out->base = r.base;
	out->size = r.limit - r.base + 1u;
	out->perm = r.perm;
	out->memtype = r.memtype;
	out->share = r.share;
	out->opts = r.opts;
	return PRS_OK;
}

/* A one-layer set from n encoded regions (prbar[i], prlar[i]). */
static int ps_build_pairs(const uint32_t *prbar, const uint32_t *prlar, unsigned n,
			  const struct prs_cpu_layout *l, struct prs_set *out)
{
	static struct prs_rangeset_entry storage[BENCH_MAX_SET];
	const struct prs_rangeset *layers[1];
	struct prs_rangeset rs;
	int err = prs_rangeset_init(&rs, storage, BENCH_MAX_SET, PRS_ARCH_AARCH32);

	for (unsigned i = 0; err == PRS_OK && i < n; i++) {
		struct prs_range r;

		err = ps_range_of(prbar[i], prlar[i], &r);
		if (err == PRS_OK)
			err = prs_rangeset_add(&rs, &r);
	}
	if (err != PRS_OK)
		return err;
	layers[0] = &rs;
	return prs_set_build(l, layers, 1, out);
}

/* Thread t's set, built from the ranges its image encodes. */
static int ps_build(const struct bench_pair *p, const struct prs_cpu_layout *l, unsigned t,
		    struct prs_set *out)
{
	int err = ps_build_pairs(&p->prbar[t][p->nstatic], &p->prlar[t][p->nstatic], p->n, l, out);

	if (err != PRS_OK)
		return err;
	/* Same register values as every baseline, or the comparison is void. */
	for (unsigned s = 0; s < p->nregions; s++)
		if (out->prbar[s] != p->prbar[t][s] || out->prlar[s] != p->prlar[t][s])
			return PRS_E_ARG;
	return PRS_OK;
}

static int ps_layout(const struct bench_pair *p, struct prs_cpu_layout *l)
{
	struct prs_range statics[BENCH_MAX_SLOTS];

	for (unsigned s = 0; s < p->nstatic; s++) {
		int err = ps_range_of(p->prbar[0][s], p->prlar[0][s], &statics[s]);

		if (err != PRS_OK)
			return err;
	}
	return prs_layout_init(l, PRS_ARCH_AARCH32, p->nregions, statics, p->nstatic, NULL);
}

/* Handle t starts with version ps_sets[t] (one layout class: every CPU shares it). */
static int ps_handles_init(unsigned ncpus)
{
	int err = PRS_OK;

	for (unsigned t = 0; err == PRS_OK && t < 2; t++) {
		for (unsigned c = 0; c < ncpus; c++)
			*prs_version_set(&ps_initial, &ps_sys, c) = ps_sets[t];
		err = prs_handle_init(&ps_handle[t], &ps_sys, &ps_initial);
	}
	return err;
}

/*
 * A fresh system on pool[0, bytes) with one layout class from p's static
 * slots (capacity > 0: an oversized layout with that capacity and its home
 * gap at `home`), every CPU added. The dynamic slots are cleared first:
 * prs_cpu_init wants the static image in the MPU, no baseline's regions.
 */
static int ps_start(const struct bench_pair *p, unsigned char *pool, size_t bytes,
		    unsigned capacity, uint64_t home)
{
	struct prs_system_config cfg = {
		.ncpus = rt_ncpus(),
		.reload = ps_reload,
		.ctx = NULL,
		.flags = PRS_SYS_CHECK_PLACEMENT,
		.mair = RT_MAIR0_VALUE | ((uint64_t)RT_MAIR1_VALUE << 32),
		.pool = pool,
		.pool_bytes = bytes,
	};
	int err;

	ps_reload_requests = 0;
	for (unsigned s = p->nstatic; s < p->nregions; s++)
		(void)rt_mpu_write(s, 0u, 0u);
	rt_mpu_sync();
	err = ps_layout(p, &ps_layout_of);
	if (err == PRS_OK && capacity)
		err = prs_layout_set_capacity(&ps_layout_of, capacity);
	if (err == PRS_OK && capacity)
		err = prs_layout_set_home(&ps_layout_of, home);
	if (err == PRS_OK)
		err = prs_system_init(&ps_sys, &cfg);
	for (unsigned c = 0; err == PRS_OK && c < cfg.ncpus; c++)
		err = prs_cpu_init(&ps_sys, &ps_cpu[c], c, &ps_layout_of);
	return err;
}

static int ps_setup(const struct bench_pair *p)
{
	int err = ps_start(p, ps_pool, sizeof(ps_pool), 0u, 0u);

	for (unsigned t = 0; err == PRS_OK && t < 2; t++)
		err = ps_build(p, &ps_layout_of, t, &ps_sets[t]);
	if (err == PRS_OK)
		err = ps_handles_init(rt_ncpus());
	if (err != PRS_OK)
		rt_printf("# prsched setup: %s\n", prs_errname(err));
	return err;
}

/* Setup and warm-up switches (untimed); the timed loop is ps_loop. */
static void ps_switch(unsigned t)
{
	prs_switch(&ps_cpu[0], &ps_handle[t]);
}

typedef void ps_entry(struct prs_cpu *c, struct prs_handle *h);

static void __attribute__((noinline, noclone)) ps_empty(struct prs_cpu *c, struct prs_handle *h)
{
	__asm__ volatile("" : : "r"(c), "r"(h) : "memory");
}

/* m calls of sw (prs_switch itself, or ps_empty for the loop's own cost). */
static uint64_t __attribute__((noinline, noclone)) ps_loop(ps_entry *sw, unsigned first,
							  unsigned m, unsigned alternate)
{
	struct prs_cpu *c = &ps_cpu[0];
	uint64_t t0 = rt_cntpct();

	for (unsigned i = 0; i < m; i++)
		sw(c, &ps_handle[first ^ (i & alternate)]);
	return rt_cntpct() - t0;
}

static uint64_t ps_run(unsigned first, unsigned m, unsigned alternate, int empty)
{
	return ps_loop(empty ? ps_empty : prs_switch, first, m, alternate);
}

#if BENCH_PRS_STATS
/* The library's per-CPU counter f (kept only when built with PRS_STATS=1). */
#define PS_STAT(f) atomic_load_explicit(&ps_cpu[0].stats.f, memory_order_relaxed)

/* One step, its MPU writes, barriers, switches and faults from the counters. */
static void ps_counted(void (*step)(unsigned), unsigned t)
{
	uint32_t w0 = PS_STAT(mpu_writes), b0 = PS_STAT(barriers);
	uint32_t s0 = prs_cpu_switches(&ps_cpu[0]), f0 = PS_STAT(faults), i0 = PS_STAT(fault_ins);

	step(t);
	bench_nwrites += PS_STAT(mpu_writes) - w0;
	bench_nbarriers += PS_STAT(barriers) - b0;
	bench_nswitches += prs_cpu_switches(&ps_cpu[0]) - s0;
	bench_nfaults += PS_STAT(faults) - f0;
	bench_nfault_ins += PS_STAT(fault_ins) - i0;
}

static void ps_switch_count(unsigned t)
{
	ps_counted(ps_switch, t);
}
#else
/* The production library counts nothing: the counting firmware does. */
#define ps_switch_count ps_switch
#endif

/* Core 1: publish thread t's set again (a new epoch, same registers). */
static void ps_republish(unsigned t)
{
	struct prs_version *v = prs_publish_begin(&ps_handle[t]);

	for (unsigned c = 0; c < ps_sys.cfg.ncpus; c++)
		*prs_version_set(v, &ps_sys, c) = ps_sets[t];
	if (prs_publish_commit(&ps_handle[t], NULL) != PRS_OK)
		rt_printf("# prsched: republish refused\n");
}

/* Writer-side statistics of the contended run just finished. */
static void ps_note(void)
{
	uint32_t pub = atomic_load_explicit(&ps_sys.publishes, memory_order_relaxed);
	uint32_t waits = atomic_load_explicit(&ps_sys.pin_waits, memory_order_relaxed);

	rt_printf("# prsched: %lu publishes (%lu pin waits), %lu reload requests\n",
		  (unsigned long)pub, (unsigned long)waits, (unsigned long)ps_reload_requests);
}

/* ---- oversized sets: prs_fault (issue 13) ----------------------------- */

/* Their pool: each version stores capacity - nstatic pairs (the build's largest). */
static PRS_POOL_DEFINE(ps_over_pool, 2u + RT_MAX_CPUS + 1u, 1u, PRS_MAX_SET_REGIONS);

unsigned bench_over_max(const struct bench_pair *p)
{
	unsigned m = PRS_MAX_SET_REGIONS - p->nstatic;

	return m < BENCH_MAX_SET ? m : BENCH_MAX_SET;
}

/* Thread t's set from o's regions; o's arrays then list them in the set's order. */
static int ps_over_build(struct bench_over *o, unsigned nstatic, unsigned t, struct prs_set *out)
{
	int err = ps_build_pairs(o->prbar[t], o->prlar[t], o->nset, &ps_layout_of, out);

	if (err != PRS_OK)
		return err;
	if (out->ndyn != o->nset)
		return PRS_E_ARG; /* merged or split: not the set the case describes */
	for (unsigned i = 0; i < o->nset; i++) {
		o->prbar[t][i] = out->prbar[nstatic + i];
		o->prlar[t][i] = out->prlar[nstatic + i];
	}
	return PRS_OK;
}

int bench_over_setup(const struct bench_pair *p, struct bench_over *o)
{
	int err = ps_start(p, ps_over_pool, sizeof(ps_over_pool), PRS_MAX_SET_REGIONS, o->home);

	for (unsigned t = 0; err == PRS_OK && t < 2; t++)
		err = ps_over_build(o, p->nstatic, t, &ps_sets[t]);
	if (err == PRS_OK)
		err = ps_handles_init(rt_ncpus());
	if (err != PRS_OK) {
		rt_printf("# prsched oversized setup (%u regions): %s\n", o->nset, prs_errname(err));
		return err;
	}
	prs_switch(&ps_cpu[0], &ps_handle[0]);
	return PRS_OK;
}

/* The selected step (bench_over_select). */
static struct {
	enum bench_over_kind kind;
	const uint32_t *addr[2];
	unsigned n;
	unsigned next; /* the fault step's position in addr[0], kept across runs */
	int expect_retry;
	unsigned bad; /* timed runs whose prs_fault results broke expect_retry */
} ps_over;

void bench_over_select(enum bench_over_kind kind, const uint32_t *addr0, const uint32_t *addr1,
		       unsigned n, int expect_retry)
{
	ps_over.kind = kind;
	ps_over.addr[0] = addr0;
	ps_over.addr[1] = addr1;
	ps_over.n = n;
	ps_over.next = 0;
	ps_over.expect_retry = expect_retry;
}

unsigned bench_over_bad(void)
{
	return ps_over.bad;
}

typedef int ps_fault_entry(struct prs_cpu *c, struct prs_handle *h, uint64_t addr,
			   unsigned access);

/* prs_fault's signature, nothing done: the timed loops' own cost. */
static int __attribute__((noinline, noclone)) ps_fault_empty(struct prs_cpu *c,
							     struct prs_handle *h, uint64_t addr,
							     unsigned access)
{
	__asm__ volatile("" : : "r"(c), "r"(h), "r"(addr), "r"(access) : "memory");
	return PRS_FAULT_RETRY;
}

/*
 * m calls of f on thread 0 (loaded), an EL0 load at addr[*pos], then the
 * next address, cyclically over n; *pos is where the next call would go.
 * Returns ticks; *retries: the calls that returned PRS_FAULT_RETRY.
 */
static uint64_t __attribute__((noinline, noclone)) ps_fault_loop(ps_fault_entry *f,
								 const uint32_t *addr, unsigned n,
								 unsigned *pos, unsigned m,
								 unsigned *retries)
{
	struct prs_cpu *c = &ps_cpu[0];
	struct prs_handle *h = &ps_handle[0];
	unsigned j = *pos, r = 0;
	uint64_t t0 = rt_cntpct();

	for (unsigned i = 0; i < m; i++) {
		r += (unsigned)f(c, h, addr[j], PRS_EL0_R);
		j = j + 1u < n ? j + 1u : 0u;
	}
	t0 = rt_cntpct() - t0;
	*pos = j;
	*retries = r;
	return t0;
}

/*
 * m time slices: switch to thread t = first ^ (i & alternate), then an EL0
 * load at each of addr[t][0..n), each faulting in. Ticks, *retries as above.
 */
static uint64_t __attribute__((noinline, noclone)) ps_slice_loop(ps_entry *sw, ps_fault_entry *f,
								 unsigned first, unsigned m,
								 unsigned alternate,
								 unsigned *retries)
{
	struct prs_cpu *c = &ps_cpu[0];
	unsigned n = ps_over.n, r = 0;
	uint64_t t0 = rt_cntpct();

	for (unsigned i = 0; i < m; i++) {
		unsigned t = first ^ (i & alternate);
		const uint32_t *a = ps_over.addr[t];

		sw(c, &ps_handle[t]);
		for (unsigned j = 0; j < n; j++)
			r += (unsigned)f(c, &ps_handle[t], a[j], PRS_EL0_R);
	}
	t0 = rt_cntpct() - t0;
	*retries = r;
	return t0;
}

/* m steps of the selected kind, timed (empty: the same loop's own cost). */
static uint64_t ps_over_run(unsigned first, unsigned m, unsigned alternate, int empty)
{
	unsigned pos = ps_over.next, r = 0, want = 0;
	uint64_t t;

	switch (ps_over.kind) {
	case BENCH_OVER_FAULT:
		t = ps_fault_loop(empty ? ps_fault_empty : prs_fault, ps_over.addr[0], ps_over.n,
				  empty ? &pos : &ps_over.next, m, &r);
		want = m;
		break;
	case BENCH_OVER_SLICE:
		t = ps_slice_loop(empty ? ps_empty : prs_switch, empty ? ps_fault_empty : prs_fault,
				  first, m, alternate, &r);
		want = m * ps_over.n;
		break;
	default:
		return ps_run(first, m, alternate, empty);
	}
	if (!empty && r != (ps_over.expect_retry ? want : 0u)) {
		rt_printf("# prsched: %u of %u prs_fault calls returned RETRY, want %u\n", r, want,
			  ps_over.expect_retry ? want : 0u);
		ps_over.bad++;
	}
	return t;
}

/* One step of the selected kind (warm-up and counting). */
static void ps_over_step(unsigned t)
{
	unsigned r;

	switch (ps_over.kind) {
	case BENCH_OVER_FAULT:
		(void)ps_fault_loop(prs_fault, ps_over.addr[0], ps_over.n, &ps_over.next, 1u, &r);
		break;
	case BENCH_OVER_SLICE:
		(void)ps_slice_loop(prs_switch, prs_fault, t, 1u, 0u, &r);
		break;
	default:
		ps_switch(t);
		break;
	}
}

#if BENCH_PRS_STATS
static void ps_over_count(unsigned t)
{
	ps_counted(ps_over_step, t);
}
#else
#define ps_over_count ps_over_step
#endif

const struct bench_impl bench_prsched_over = {
	.name = "prsched",
	.setup = NULL,
	.switch_to = ps_over_step,
	.switch_count = ps_over_count,
	.pick = NULL,
	.run = ps_over_run,
	.lib_counts = 1,
	.republish = NULL,
	.teardown = NULL,
	.note = NULL,
};

#ifndef BENCH_PRS_NAME
#define BENCH_PRS_NAME "prsched"
#endif

const struct bench_impl bench_prsched = {
	.name = BENCH_PRS_NAME,
	.setup = ps_setup,
	.switch_to = ps_switch,
	.switch_count = ps_switch_count,
	.pick = NULL,
	.run = ps_run,
	.lib_counts = 1,
	.republish = ps_republish,
	.teardown = NULL,
	.note = ps_note,
};
