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
 * handle) and ps_republish (core 1's writer); the counters to ps_stat_*.
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

/* Thread t's set, built from the ranges its image encodes. */
static int ps_build(const struct bench_pair *p, const struct prs_cpu_layout *l, unsigned t,
		    struct prs_set *out)
{
	static struct prs_rangeset_entry storage[BENCH_MAX_SLOTS];
	const struct prs_rangeset *layers[1];
	struct prs_rangeset rs;
	int err = prs_rangeset_init(&rs, storage, BENCH_MAX_SLOTS, PRS_ARCH_AARCH32);

	for (unsigned i = 0; err == PRS_OK && i < p->n; i++) {
		struct prs_range r;

		err = ps_range_of(p->prbar[t][p->nstatic + i], p->prlar[t][p->nstatic + i], &r);
		if (err == PRS_OK)
			err = prs_rangeset_add(&rs, &r);
	}
	if (err != PRS_OK)
		return err;
	layers[0] = &rs;
	err = prs_set_build(l, layers, 1, out);
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

static int ps_setup(const struct bench_pair *p)
{
	struct prs_system_config cfg = {
		.ncpus = rt_ncpus(),
		.reload = ps_reload,
		.ctx = NULL,
		.flags = PRS_SYS_CHECK_PLACEMENT,
		.mair = RT_MAIR0_VALUE | ((uint64_t)RT_MAIR1_VALUE << 32),
		.pool = ps_pool,
		.pool_bytes = sizeof(ps_pool),
	};
	int err;

	ps_reload_requests = 0;
	/* prs_cpu_init wants the static image in the MPU: leave no baseline's regions. */
	for (unsigned s = p->nstatic; s < p->nregions; s++)
		(void)rt_mpu_write(s, 0u, 0u);
	rt_mpu_sync();
	err = ps_layout(p, &ps_layout_of);
	if (err == PRS_OK)
		err = prs_system_init(&ps_sys, &cfg);
	for (unsigned c = 0; err == PRS_OK && c < cfg.ncpus; c++)
		err = prs_cpu_init(&ps_sys, &ps_cpu[c], c, &ps_layout_of);
	for (unsigned t = 0; err == PRS_OK && t < 2; t++)
		err = ps_build(p, &ps_layout_of, t, &ps_sets[t]);
	if (err == PRS_OK)
		err = ps_handles_init(cfg.ncpus);
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
/* The library's per-CPU counters (kept only when built with PRS_STATS=1). */
static uint32_t ps_stat_writes(void)
{
	return atomic_load_explicit(&ps_cpu[0].stats.mpu_writes, memory_order_relaxed);
}

static uint32_t ps_stat_barriers(void)
{
	return atomic_load_explicit(&ps_cpu[0].stats.barriers, memory_order_relaxed);
}

/* One switch, its MPU writes and barriers from the per-CPU counters. */
static void ps_switch_count(unsigned t)
{
	uint32_t w0 = ps_stat_writes(), b0 = ps_stat_barriers();

	prs_switch(&ps_cpu[0], &ps_handle[t]);
	bench_nwrites += ps_stat_writes() - w0;
	bench_nbarriers += ps_stat_barriers() - b0;
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
