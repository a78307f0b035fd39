/* SPDX-License-Identifier: MIT */
/*
 * Protocol stress: host threads stand in for CPUs and writers and try to
 * break publication, reclamation, reload and revoke through the real
 * library (prs_switch / prs_reload on struct prs_cpu backed by the host MPU
 * model; prs_publish_begin/commit/abort and tickets on the writer side).
 *
 *   K CPU threads: each loops { serve its IPI flag with prs_reload; check;
 *     switch to one of T threads (handles); check }. After the writers are
 *     done: serve the last IPI, then switch to every thread once (final
 *     round) and require the newest version everywhere. CPU k is in layout
 *     class k % L (L = --classes, default K/2 rounded up): its layout has
 *     the same statics as every other but its class's own (empty) base
 *     rangeset, so classes hold different sets and CPUs of one class share
 *     theirs.
 *   W writer threads: each loops over random handles doing publish (60%),
 *     publish + prs_ticket_wait, i.e. a synchronous revoke (25%), publish
 *     + poll + wait, an asynchronous revoke (10%), or begin + abort (5%).
 *     Holding the writer lock (after prs_publish_begin), a writer first
 *     poisons, in the version pool (caller storage), every version that is
 *     no handle's current one and that no CPU's announce pins (its own scan
 *     of the readers, as the library's: publish.c, Claim 1), so whatever
 *     version the commit then reuses was poisoned before reuse; then (after
 *     an occasional yield) it stages the new version.
 *   The reload callback sets per-CPU IPI flags; CPUs poll them.
 *   Test hooks (prsched/testing.h, prs_test_cpu[k]) count the hook points
 *     each switch passes, note the epochs each announce window saw, and now
 *     and then sched_yield() inside the switch to widen the windows between
 *     its loads and stores (a perturbation, never synchronization).
 *
 * Versions come from one pool per system: 2 (T + K + 1) versions, or with
 * --pool-exact exactly T + K + 1, the least prs_handle_init accepts (and
 * then one more handle must be refused, PRS_E_POOL).
 *
 * Checks (each fails the run at once, printing the kind, the CPU, every
 * slot decoded, and the seed):
 *   torn / poison      every dynamic slot of the registers in force after a
 *                      switch or reload belongs to one (thread, seq) built
 *                      for this CPU's class, and none is poison
 *                      (stress_set.h);
 *   wrong thread       that version is of the thread switched to;
 *   unpublished        its seq was handed to prs_publish_commit for it;
 *   backwards          per CPU and thread, loaded seqs never decrease;
 *   revoked            a CPU running a thread holds at least the seq of the
 *                      newest revoke whose ticket wait has returned
 *                      (checked at every loop iteration, not only at
 *                      switches: invariant 5 is about running, not loading);
 *   missed reload      after the writers stop and the CPU has served its
 *                      IPI, it holds the newest version of its thread
 *                      (the reload mask missed nobody);
 *   not converged      the final switch to each thread loads its newest;
 *   prefill            prs_publish_begin staged exactly the handle's
 *                      current version (also after an aborted begin that
 *                      left poison in the staging sets);
 *   bound              per switch or reload: a copy passes exactly its hook
 *                      points (5 switch, 4 reload), a fast path none and no
 *                      MPU write; a copy writes 2 registers for every slot
 *                      in [nstatic, top), top = max(new end, old end) (the
 *                      blind pass), plus one per slot when the ordered phase
 *                      is allowed (the new or the old set has a region away
 *                      from the home gap, or the slots are unknown after
 *                      init), with 1 DSB and 1 ISB (2 when ordered), nothing
 *                      left pending; the library's counters (fast/slow/
 *                      reloads, mpu_writes, barriers) agree with the model;
 *   pool-bound         pool sizing (prs_system_versions, PRS_E_POOL past
 *                      the bound) and, at the end, Claim 2: a writer waited
 *                      for a version (sys->pin_waits) only if some CPU saw
 *                      two publishes of its handle inside one announce
 *                      window.
 *   TSan (host-tsan) adds: a version poisoned while a CPU copies it is a
 *   data race on the pool.
 *
 * Oversized mode (--oversized): every layout has capacity nstatic + 24 (twice
 * its 12 dynamic slots, prs_layout_set_capacity) and three in four versions
 * have 13..24 regions (stress_set.h). After each switch a CPU makes 0..7
 * prs_fault() calls for its running thread, with the reload IPI left
 * pending meanwhile, at addresses the encoding makes interesting
 * (pick_fault): inside a region the loaded version has past the first 12
 * (granted, not resident after the switch), the middle of any region
 * window (granted by every version with a region there), the lowest
 * granule of an older version's region (granted by that version and older
 * ones only: revoked once a newer revoke returned), and addresses no
 * version grants; with access bits the class may or may not grant. The MPU
 * model's invariant-6 check is on for every batch. Checks, besides all of
 * the above (the MPU check then lets a slot hold any region of the one
 * version, each once, after fault-ins):
 *   fault              the result is what fault.c's rules give for the
 *                      version P the call pinned (the MPU's version after
 *                      it; P moved iff the loaded word did, i.e. the call
 *                      copied): REAL if P grants no such access at addr;
 *                      else REAL if the call did not copy and the region
 *                      was already resident; else RETRY, and the MPU then
 *                      holds exactly one region covering addr. P is at
 *                      least the CPU's loaded version and every revoke
 *                      floor read after the call, at most the newest seq
 *                      handed to commit (so a region granted only by
 *                      revoked versions is a REAL fault once the revoke
 *                      returned: counted as revoked-range faults);
 *   revoked            also BEFORE every call (switch, reload, fault): the
 *                      version the MPU holds -- every slot, fault-ins
 *                      included -- is no older than the newest completed
 *                      revoke of the running thread;
 *   replacement        a fault-in that did not copy changes one slot, and
 *                      the regions of the previous fault-ins since the
 *                      last copy (up to 11) stay resident (round robin);
 *   bound              a fault passes its 4 hook points, counts 1 fault
 *                      and the fault-ins it made; a fault-in is 2 writes,
 *                      1 DSB, 1 ISB (3, 1, 2 when the set has a region
 *                      away from home), after the copy's own when it
 *                      copied; the counters agree with the model;
 *   order              the model found no mix of a batch in which a
 *                      dynamic region covers static memory (invariant 6).
 *
 * Inputs are reproducible from the seed (PRS_SEED): every version's
 * contents, each writer's and CPU's choices. The interleaving is not: it
 * is the host scheduler's. A failure prints the seed; rerunning with it
 * repeats the inputs, not necessarily the failure.
 *
 * Options (argv or environment): --cpus K (PRS_STRESS_CPUS), --threads T
 * (PRS_STRESS_THREADS), --writers W (PRS_STRESS_WRITERS), --classes L,
 * --pool-exact, --switches N (PRS_STRESS_SWITCHES: total over all CPUs),
 * PRS_STRESS_LONG=1 (10^8 switches, progress lines).
 *
 * Deliberately broken runs, to show each checker can fail:
 *   --inplace-rewrite  a writer rewrites the CURRENT version in the pool in
 *                      place (poison, yield, new version), bypassing the
 *                      commit's reclamation: caught as poison (most runs);
 *                      as torn or empty when the copy read some slots
 *                      before the poison and some after the new version; as
 *                      bound when it planned its writes from the poisoned
 *                      key but read the slots of the new version (the
 *                      registers hold one version, the count is off);
 *   --inplace-torn     the same without poison, pair by pair with a yield
 *                      halfway: caught as torn, or as bound when the
 *                      copier read the key of one version and the pairs of
 *                      another but the registers it left happen to form one
 *                      version (it wrote more than the bound);
 *   --revoke-no-wait   a revoke raises its floor without prs_ticket_wait:
 *                      caught as revoked;
 *   --test-flags N     sets prs_test_cpu[k].flags (PRS_TEST_*), e.g. 4
 *                      (disable-first: 2 ordered writes per slot): bound;
 *                      1 (always blind) with --oversized: order;
 *   --fault-no-announce (implies --oversized) the CPUs' faults go to a
 *                      fault path of this file (broken_fault) that looks
 *                      the address up in the version the CPU loaded, read
 *                      from the pool without the announce (no pin): the
 *                      broken variant fault.c's revoke proof rules out.
 *                      Once the handle is republished the writers poison
 *                      or reuse that version, and the fault reads poison
 *                      (fault: a REAL where the loaded version grants),
 *                      another version's region (torn), or a key whose
 *                      home-gap claim is false for this MPU, so its blind
 *                      write crosses static memory (order).
 * --expect-detect=KIND[,KIND] exits 0 only if the run failed, first, with
 * one of those kinds (poison, torn, revoked, bound, ...); any other outcome
 * exits 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "prs_test.h"
#include "prsched/build.h"
#include "prsched/error.h"
#include "prsched/mpu_model.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"
#include "prsched/testing.h"
#include "stress_atomic.h"
#include "stress_set.h"

/* Switches per run in short mode; sanitizer builds run a fraction (STRESS_SCALE_DIV). */
#ifndef STRESS_SCALE_DIV
#define STRESS_SCALE_DIV 1
#endif
#define SHORT_SWITCHES (3000000u / STRESS_SCALE_DIV)
/* Oversized: 3.5 faults per switch on average, every MPU batch checked by the model. */
#define OVERSIZED_SWITCHES (30000u / STRESS_SCALE_DIV)
#define OVERSIZED_FAULTS 8u /* 0..7 faults after each switch */
#define LONG_SWITCHES 100000000ull
#define HOOKS_SWITCH 5u /* PRS_HOOK_READ_W1 .. PRS_HOOK_DONE, once each */
#define HOOKS_RELOAD 4u /* the same without READ_W1 (prs_reload has no fast-path miss) */
#define HOOKS_FAULT 4u  /* prs_fault: ANNOUNCED .. DONE, always (it announces at once) */

enum fail_kind {
	F_TORN, F_POISON, F_STATIC, F_EMPTY, F_WRONG_THREAD, F_UNPUBLISHED, F_BACKWARDS,
	F_REVOKED, F_MISSED_RELOAD, F_CONVERGE, F_PREFILL, F_BOUND, F_POOL, F_LIB, F_FAULT,
	F_VICTIM, F_ORDER
};

static const char *const fail_names[] = {
	"torn", "poison", "static", "empty", "wrong-thread", "unpublished", "backwards",
	"revoked", "missed-reload", "not-converged", "prefill", "bound", "pool-bound",
	"library-error", "fault", "replacement", "order"
};

struct opts {
	unsigned ncpus, nthreads, nwriters, nclasses;
	uint64_t switches; /* total over CPUs */
	uint64_t seed;
	int inplace, inplace_torn, revoke_nowait, long_mode, pool_exact;
	int oversized, fault_noann;
	unsigned test_flags;
	const char *expect; /* --expect-detect=KIND, or NULL */
};

/* One simulated CPU. The first part is private to its thread. */
struct st_cpu {
	struct prs_cpu cpu;
	struct prs_mpu_model mpu;
	unsigned id, cls;
	uint64_t rng;  /* choices of the CPU loop */
	uint64_t hrng; /* the hook's yields */
	uint32_t hooks;
	int cur;       /* thread running, -1 before the first switch */
	/* The MPU as the library's state sees it: end of the dynamic slots, away. */
	unsigned old_end;
	int old_away;
	uint32_t win_epoch; /* epoch of LOWER(w1) in the current announce window */
	int win_counted;
	uint32_t last_seq[ST_MAX_THREADS];
	uint64_t n, yields, max_hooks, max_writes, ipis, ordered, windows2;
	/*
	 * Oversized mode: whether a fault-in moved regions out of slot order
	 * since the last copy; the addresses of the fault-ins since then (ring);
	 * the newest revoke floor verified per thread; the broken fault path's
	 * round-robin cursor; counts for the report.
	 */
	int permuted;
	unsigned nfi;
	uint32_t fi_addr[ST_NDYN];
	uint32_t floor_seen[ST_MAX_THREADS];
	unsigned bvictim;
	uint64_t faults, retries, fault_ins, reals, revoked_reals, fault_copies, revokes_checked;
	/* Shared: the IPI flag (set by writers' reload callback) and progress. */
	_Alignas(64) st_u32 ipi;
	_Alignas(64) st_u64 done;
};

struct st_thread {
	struct prs_handle h;
	/*
	 * Newest seq handed to commit (stored under the writer lock, before the
	 * publish) and the newest seq whose revoke's ticket wait returned.
	 */
	_Alignas(64) st_u32 alloc;
	st_u32 floor;
};

struct st_writer {
	unsigned id;
	uint64_t rng;
	uint64_t publishes, revokes, async_revokes, polls, aborts, inplace, poisoned;
};

static struct opts o;
static struct prs_system sys;
static struct st_cpu cpus[PRS_MAX_CPUS];
static struct st_thread threads[ST_MAX_THREADS];
static struct st_writer writers[16];
static struct prs_version initial;
/* One empty base rangeset per class: the layouts differ in it alone. */
static struct prs_rangeset bases[ST_MAX_CLASSES];
static struct prs_rangeset_entry base_store[ST_MAX_CLASSES];
static struct prs_cpu_layout layouts[ST_MAX_CLASSES];
static unsigned char *pool;
/*
 * The writers' own record of the pool (touched only under the writer
 * lock): the thread (+1; 0 none) and epoch each version was last published
 * with, rebuilt at every begin from the handles' words (every published
 * version is some handle's current one at the next begin).
 */
static uint8_t vowner[PRS_MAX_VERSIONS];
static uint32_t vepoch[PRS_MAX_VERSIONS];
static struct st_barrier start;
static st_u32 stop, failed, cpus_at_quota;
static struct timespec t0;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9;
}

/* kind is in the comma-separated --expect-detect list. */
static int expected(const char *kind)
{
	size_t n = strlen(kind);

	for (const char *p = o.expect; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, kind, n) && (p[n] == ',' || p[n] == 0))
			return 1;
	return 0;
}

/*
 * First failure wins and ends the process at once (other threads may be
 * spinning on tickets that now never complete). --expect-detect turns a
 * torn or poisoned copy into success.
 */
static void st_fail(enum fail_kind kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void st_fail(enum fail_kind kind, const char *fmt, ...)
{
	va_list ap;
	int caught = expected(fail_names[kind]);

	if (!st_cas32(&failed, 0, 1)) /* first failure wins; it alone reports */
		for (;;)
			sched_yield(); /* the winner is exiting the process */
	fflush(stdout);
	fprintf(stderr, "STRESS FAIL [%s] after %.2f s: ", fail_names[kind], now_s());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  seed 0x%llx: rerun with PRS_SEED=0x%llx (same inputs; the interleaving "
			"is the scheduler's)\n",
		(unsigned long long)o.seed, (unsigned long long)o.seed);
	if (o.expect)
		fprintf(stderr, "stress: %s (expected %s)\n",
			caught ? "the checker caught the broken variant" : "WRONG failure kind",
			o.expect);
	fflush(stderr);
	_Exit(caught ? 0 : 1);
}

/* ---------------- CPU side ---------------- */

/*
 * Claim 2 bookkeeping: the epoch this CPU announced (LOWER(w1)) and, until
 * the announce ends, whether its handle has since been published twice.
 * Own words (ann_*: only this CPU stores them): relaxed. The handle's word:
 * seq_cst, as the reader's own loads.
 */
static void note_window(struct st_cpu *sc, enum prs_hook_point p)
{
	const struct prs_reader *rd = &sc->cpu.rd;
	struct prs_handle *h;
	uint32_t e;

	if (p == PRS_HOOK_ANNOUNCED) {
		sc->win_epoch = prs_word_epoch(atomic_load_explicit(&rd->ann_w, memory_order_relaxed));
		sc->win_counted = 0;
		return;
	}
	h = atomic_load_explicit(&rd->ann_h, memory_order_relaxed);
	if (p == PRS_HOOK_READ_W1 || !h || sc->win_counted)
		return;
	e = prs_word_epoch(atomic_load_explicit(&h->word, memory_order_seq_cst));
	if (((e - sc->win_epoch) & PRS_EPOCH_MASK) >= 2u) {
		sc->windows2++;
		sc->win_counted = 1;
	}
}

static void hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	struct st_cpu *sc = arg;
	uint64_t odds = p == PRS_HOOK_ANNOUNCED || p == PRS_HOOK_READ_W2 ? 16u : 64u;

	if (cpu != sc->id)
		st_fail(F_BOUND, "hook for cpu %u ran with cpu %u's argument", cpu, sc->id);
	sc->hooks++;
	note_window(sc, p);
	/* Perturbation only: widen the window between this point and the next. */
	if (prs_rand_below(&sc->hrng, odds) == 0) {
		sched_yield();
		sc->yields++;
	}
}

struct snap;
static void take_snap(const struct st_cpu *sc, struct snap *s);

struct snap {
	unsigned ndyn; /* enabled dynamic slots in force */
	uint32_t hooks, fast, slow, reloads, copies, writes_stat, barriers_stat, faults, fault_ins;
	uint32_t state; /* the library's record of the MPU (struct prs_cpu.state), for reports */
	unsigned long writes, dsbs, isbs;
};

/* Before a call: the model's event log from here on (printed by a bound failure). */
static void start_call(struct st_cpu *sc, struct snap *s)
{
	sc->mpu.nlog = 0;
	sc->mpu.log[0] = 0;
	take_snap(sc, s);
}

static void take_snap(const struct st_cpu *sc, struct snap *s)
{
	const struct prs_cpu_stats *st = &sc->cpu.stats;

	s->ndyn = 0;
	for (unsigned i = ST_NSTATIC; i < ST_NSLOTS; i++)
		s->ndyn += (unsigned)(sc->mpu.prlar[i] & 1u);
	/* Relaxed: this CPU's own counters. */
	s->hooks = sc->hooks;
	s->state = sc->cpu.state;
	s->fast = atomic_load_explicit(&st->fast, memory_order_relaxed);
	s->slow = atomic_load_explicit(&st->slow, memory_order_relaxed);
	s->reloads = atomic_load_explicit(&st->reloads, memory_order_relaxed);
	s->copies = atomic_load_explicit(&st->reload_copies, memory_order_relaxed);
	s->faults = atomic_load_explicit(&st->faults, memory_order_relaxed);
	s->fault_ins = atomic_load_explicit(&st->fault_ins, memory_order_relaxed);
	s->writes_stat = atomic_load_explicit(&st->mpu_writes, memory_order_relaxed);
	s->barriers_stat = atomic_load_explicit(&st->barriers, memory_order_relaxed);
	s->writes = sc->mpu.writes;
	s->dsbs = sc->mpu.dsbs;
	s->isbs = sc->mpu.isbs;
}

/*
 * The blind pass leaves its loop only at a multiple of PRS_COPY_STEP
 * (config.h): the slots up to there are disabled on both sides and
 * rewritten with the same values.
 */
#ifndef PRS_COPY_STEP
#define PRS_COPY_STEP 1u
#endif
#define STEP_UP(n) (((n) + PRS_COPY_STEP - 1u) / PRS_COPY_STEP * PRS_COPY_STEP)

enum call { C_SWITCH, C_RELOAD, C_FAULT };
static const char *const call_names[] = { "switch", "reload", "fault" };

/* A prs_fault call: whether it copied the whole set, and made a fault-in. */
struct fault_call {
	int copied, fault_in;
};

/* What one call may do to the model: writes, barriers, hook points. */
struct call_bound {
	unsigned long least, most, dsbs, isb_least, isb_most;
	uint32_t hooks;
};

/*
 * The copy's share (copy.h): with top = max(new end, old end), 2 writes per
 * slot in [nstatic, top rounded up to PRS_COPY_STEP) (the blind pass), plus
 * 1 per slot in [nstatic, top) if the ordered phase is allowed; 1 DSB; 1
 * ISB, 2 when ordered.
 */
static void bound_copy(const struct st_cpu *sc, const struct st_seen *now, struct call_bound *cb)
{
	unsigned new_end = ST_NSTATIC + (now ? now->resident : 0u);
	unsigned n = new_end > sc->old_end ? new_end : sc->old_end;
	int may_order = sc->old_away || (now && now->away);

	cb->least += 2ul * (STEP_UP(n) - ST_NSTATIC);
	cb->most += 2ul * (STEP_UP(n) - ST_NSTATIC) + (may_order ? n - ST_NSTATIC : 0u);
	cb->dsbs += 1u;
	cb->isb_least += 1u;
	cb->isb_most += may_order ? 2u : 1u;
}

/* A fault-in's share (fault.c): DSB, [ordered write + ISB if away], the pair, ISB. */
static void bound_fault_in(int away, struct call_bound *cb)
{
	cb->least += 2u;
	cb->most += away ? 3u : 2u;
	cb->dsbs += 1u;
	cb->isb_least += 1u;
	cb->isb_most += away ? 2u : 1u;
}

/* The library's counters for one call of kind k: which moved, by how much. */
static void check_counters(const struct st_cpu *sc, enum call k, const struct snap *a,
			   const struct snap *b, uint32_t copied, const struct fault_call *fc)
{
	uint32_t fast = b->fast - a->fast, slow = b->slow - a->slow;
	uint32_t reloads = b->reloads - a->reloads, faults = b->faults - a->faults;
	uint32_t fins = b->fault_ins - a->fault_ins;
	int bad = k == C_SWITCH   ? fast + copied != 1u || reloads || faults
		  : k == C_RELOAD ? reloads != 1u || copied > 1u || fast || slow || faults
				  : faults != 1u || fins != (uint32_t)fc->fault_in || fast || slow ||
					    reloads || b->copies != a->copies;

	if (bad || (k != C_FAULT && fins))
		st_fail(F_BOUND, "cpu %u: %s counted %u fast, %u slow, %u reloads (%u copied), %u "
				 "faults, %u fault-ins",
			sc->id, call_names[k], fast, slow, reloads, b->copies - a->copies, faults, fins);
}

/*
 * Bounded steps and honest counters for one call of kind k (fc: what a
 * fault did), the registers now holding `now`: the copy's share when it
 * copied, a fault-in's when it made one, nothing else; hook points as the
 * call's protocol steps; nothing left pending.
 */
static void check_bounds(struct st_cpu *sc, const struct snap *a, enum call k,
			 const struct st_seen *now, const struct fault_call *fc)
{
	struct snap b;
	struct call_bound cb = { 0, 0, 0, 0, 0, 0 };
	uint32_t hooks, copied;
	unsigned long writes, dsbs, isbs;

	take_snap(sc, &b);
	hooks = b.hooks - a->hooks;
	writes = b.writes - a->writes;
	dsbs = b.dsbs - a->dsbs;
	isbs = b.isbs - a->isbs;
	copied = k == C_FAULT ? (uint32_t)fc->copied : k == C_RELOAD ? b.copies - a->copies
								       : b.slow - a->slow;
	check_counters(sc, k, a, &b, copied, fc);
	if (copied) {
		bound_copy(sc, now, &cb);
		sc->ordered += k != C_FAULT && isbs == 2u;
	}
	if (k == C_FAULT && fc->fault_in)
		bound_fault_in(now && now->away, &cb);
	cb.hooks = k == C_FAULT ? HOOKS_FAULT : !copied ? 0u : k == C_RELOAD ? HOOKS_RELOAD
									      : HOOKS_SWITCH;
	if (hooks > sc->max_hooks)
		sc->max_hooks = hooks;
	if (k != C_FAULT && writes > sc->max_writes)
		sc->max_writes = writes;
	if (hooks != cb.hooks)
		st_fail(F_BOUND, "cpu %u: %s passed %u hook points, expected %u (copied %u)", sc->id,
			call_names[k], hooks, cb.hooks, copied);
	if (writes < cb.least || writes > cb.most || dsbs != cb.dsbs || isbs < cb.isb_least ||
	    isbs > cb.isb_most || sc->mpu.npend)
		st_fail(F_BOUND, "cpu %u: one %s (copied %u, fault-in %d, end %u -> %u; library state "
				 "0x%x -> 0x%x) did %lu writes (bound %lu..%lu), %lu DSB (%lu), %lu ISB "
				 "(%lu..%lu), left %u pending; MPU events %s",
			sc->id, call_names[k], copied, fc ? fc->fault_in : 0, sc->old_end,
			ST_NSTATIC + (now ? now->resident : 0u), a->state, b.state, writes, cb.least,
			cb.most, dsbs, cb.dsbs, isbs, cb.isb_least, cb.isb_most, sc->mpu.npend,
			sc->mpu.log);
	if (b.writes_stat - a->writes_stat != writes ||
	    b.barriers_stat - a->barriers_stat != dsbs + isbs)
		st_fail(F_BOUND, "cpu %u: counters say %u writes %u barriers, the model saw %lu, %lu",
			sc->id, b.writes_stat - a->writes_stat, b.barriers_stat - a->barriers_stat,
			writes, dsbs + isbs);
	if (copied && now) {
		/* What the library's state now says: the copied version's key. */
		sc->old_end = ST_NSTATIC + now->resident;
		sc->old_away = now->away;
	}
}

/* A completed revoke of thread t (its floor) verified against this CPU's whole MPU. */
static void note_floor(struct st_cpu *sc, unsigned t, uint32_t floor)
{
	if (floor > sc->floor_seen[t]) {
		sc->floor_seen[t] = floor;
		sc->revokes_checked++;
	}
}

/* Invariant 6 (oversized mode: the model checks every batch at its ISB). */
static void check_model(const struct st_cpu *sc, const char *what)
{
	if (sc->mpu.violations)
		st_fail(F_ORDER, "cpu %u after %s: the MPU model found %lu violations of invariant 6, "
				 "first: %s; MPU events %s",
			sc->id, what, sc->mpu.violations, sc->mpu.first_violation, sc->mpu.log);
}

/*
 * The registers in force: one published version of thread t, no older than
 * allowed. any_slot: a fault-in may have moved regions out of slot order.
 */
static void check_mpu(struct st_cpu *sc, unsigned t, const char *what, int any_slot,
		      struct st_seen *out)
{
	struct st_seen seen;
	static const enum fail_kind kinds[] = { F_TORN, F_STATIC, F_EMPTY, F_POISON, F_TORN };
	char why[2048];
	enum st_verdict v;
	uint32_t alloc, floor;

	check_model(sc, what);
	v = st_check_mpu(sc->mpu.prbar, sc->mpu.prlar, o.seed, sc->cls, any_slot || sc->permuted,
			 &seen, why, sizeof(why));
	if (v == ST_TORN)
		st_fail(F_TORN, "cpu %u after %s to thread %u: slot %u disagrees with slot %u "
				"(thread %u seq %u, %u regions):%s",
			sc->id, what, t, seen.bad_slot, ST_NSTATIC, seen.thread, seen.seq, seen.ndyn,
			why);
	if (v != ST_OK)
		st_fail(kinds[v], "cpu %u after %s to thread %u: %s at slot %u:%s", sc->id, what, t,
			st_verdict_name(v), seen.bad_slot, why);
	if (seen.thread != t)
		st_fail(F_WRONG_THREAD, "cpu %u after %s: expected thread %u, MPU holds thread %u seq %u",
			sc->id, what, t, seen.thread, seen.seq);
	/* Acquire: pairs with the writer's release store of alloc before its publish. */
	alloc = st_load32(&threads[t].alloc);
	if (seen.seq > alloc)
		st_fail(F_UNPUBLISHED, "cpu %u after %s: thread %u seq %u, newest handed to commit %u",
			sc->id, what, t, seen.seq, alloc);
	if (seen.seq < sc->last_seq[t])
		st_fail(F_BACKWARDS, "cpu %u after %s: thread %u seq %u, this CPU loaded %u before",
			sc->id, what, t, seen.seq, sc->last_seq[t]);
	sc->last_seq[t] = seen.seq;
	/*
	 * Acquire, after the event: a floor stored after a ticket wait that this
	 * CPU's own reload or switch completed (publish.c, Claim 4).
	 */
	floor = st_load32(&threads[t].floor);
	if (seen.seq < floor)
		st_fail(F_REVOKED, "cpu %u after %s: runs thread %u at seq %u (every slot), revoked "
				   "below %u and the revoke returned",
			sc->id, what, t, seen.seq, floor);
	note_floor(sc, t, floor);
	if (out)
		*out = seen;
}

/*
 * Before a call that may change the MPU: what it holds now -- one version
 * in every slot, fault-ins included (check_mpu verified that after the
 * last call) -- is no older than the newest revoke of the running thread
 * that returned. The CPU cannot have left that revoke's ticket without
 * such a call. Returns the floor.
 */
static uint32_t check_floor(struct st_cpu *sc, const char *what)
{
	unsigned t;
	uint32_t floor;

	if (sc->cur < 0)
		return 0;
	t = (unsigned)sc->cur;
	/* Acquire: pairs with raise_floor's CAS, after the ticket wait. */
	floor = st_load32(&threads[t].floor);
	if (sc->last_seq[t] < floor)
		st_fail(F_REVOKED, "cpu %u before %s: runs thread %u at seq %u (every slot), revoked "
				   "below %u and the revoke returned",
			sc->id, what, t, sc->last_seq[t], floor);
	note_floor(sc, t, floor);
	return floor;
}

/* This CPU's own counter. Relaxed: only this CPU stores it. */
static uint32_t own_stat(const _Atomic uint32_t *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

/* A copy rewrote every dynamic slot: slot order again, no fault-in to keep. */
static void copied_all(struct st_cpu *sc)
{
	sc->permuted = 0;
	sc->nfi = 0;
}

static void do_switch(struct st_cpu *sc, unsigned t)
{
	struct snap a;
	struct st_seen seen;

	(void)check_floor(sc, "switch");
	start_call(sc, &a);
	prs_switch(&sc->cpu, &threads[t].h);
	sc->cur = (int)t;
	if (own_stat(&sc->cpu.stats.slow) != a.slow)
		copied_all(sc);
	/* Contents first: a torn copy can also break the write bound, and is the root cause. */
	check_mpu(sc, t, "switch", 0, &seen);
	check_bounds(sc, &a, C_SWITCH, &seen, NULL);
}

/* The IPI handler: prs_reload if a writer's reload callback flagged us. */
static void serve_ipi(struct st_cpu *sc)
{
	struct snap a;
	struct st_seen seen;

	/* Cheap look first; the exchange (acq_rel) pairs with the callback's exchange. */
	if (!st_load32(&sc->ipi) || !st_xchg32(&sc->ipi, 0))
		return;
	sc->ipis++;
	(void)check_floor(sc, "reload");
	start_call(sc, &a);
	prs_reload(&sc->cpu);
	if (own_stat(&sc->cpu.stats.reload_copies) != a.copies)
		copied_all(sc);
	if (sc->cur >= 0)
		check_mpu(sc, (unsigned)sc->cur, "reload", 0, &seen);
	check_bounds(sc, &a, C_RELOAD, sc->cur >= 0 ? &seen : NULL, NULL);
}

/* ---------------- CPU side: faults (oversized mode) ---------------- */

struct fault_pick {
	uint32_t addr;
	unsigned access; /* PRS_EL1_R ... PRS_EXEC */
};

static const unsigned fault_access[] = { PRS_EL1_R, PRS_EL1_W, PRS_EL0_R, PRS_EL0_W,
					 PRS_EL0_R | PRS_EXEC, PRS_EL1_R | PRS_EXEC };

/* One of the six accesses, one the class grants if `granted`. */
static unsigned pick_access(struct st_cpu *sc, int granted)
{
	unsigned n = sizeof(fault_access) / sizeof(fault_access[0]), a;

	do
		a = fault_access[prs_rand_below(&sc->rng, n)];
	while (granted && (st_perm(sc->cls) & a) != a);
	return a;
}

/*
 * Where thread t faults (stress_set.h's windows), given the version s0 the
 * CPU holds and the revoke floor:
 *   4 in 10  inside region j >= 12 of s0 with an access the class grants:
 *            granted but not resident after the switch's copy (when s0 is
 *            oversized; else as the next kind);
 *   2 in 10  the middle of any window j of the capacity, either gap (gap B
 *            one time in four), any access: granted by every version with
 *            region j there, resident or not;
 *   2 in 10  the lowest granule of region j of an older version -- the
 *            newest revoked one (floor - 1), the one before s0, or s0 --
 *            granted by that version and older ones only;
 *   2 in 10  where no version grants anything: a window past the
 *            capacity, or just below the first window.
 */
static void pick_fault(struct st_cpu *sc, unsigned t, uint32_t floor, struct fault_pick *f)
{
	unsigned r = (unsigned)prs_rand_below(&sc->rng, 10);
	int gap_b = prs_rand_below(&sc->rng, 4) == 0;
	unsigned j = (unsigned)prs_rand_below(&sc->rng, ST_CAP_DYN);
	uint32_t in = (uint32_t)prs_rand_below(&sc->rng, 64), seq = sc->last_seq[t];
	unsigned older = (unsigned)prs_rand_below(&sc->rng, 3);

	f->access = pick_access(sc, r < 4);
	f->addr = r < 4 ? st_region_addr(o.seed, t, seq, ST_NDYN + j % ST_NDYN, ST_WIN_MID + in) : 0u;
	if (f->addr) {
		/* inside a region s0 has, not among the first 12 */
	} else if (r < 6) {
		f->addr = st_window_addr(gap_b, j, ST_WIN_MID + in);
	} else if (r < 8) {
		if (older == 0 && floor)
			seq = floor - 1u;
		else if (older == 1 && seq)
			seq--;
		f->addr = st_window_addr(gap_b, j, st_base_off(seq) + in);
	} else if (r == 8) {
		f->addr = st_window_addr(gap_b, ST_CAP_DYN + j % 3u, ST_WIN_MID + in);
	} else {
		f->addr = st_window_addr(gap_b, 0, 0) - 64u + in;
	}
}

/*
 * The deliberately broken fault path (--fault-no-announce): the library's
 * look-up and fault-in, but over the version this CPU LOADED, read straight
 * from the pool without announcing it (no R2-R5: nothing pins it) and
 * without copying a republished set first. Once the handle is republished
 * a writer may poison or reuse that version before this CPU takes its
 * reload IPI. Data races on the pool by design: plain host build only. It
 * orders an away fault-in the simple way (disable, ISB, PRBAR, ISB, PRLAR,
 * ISB), which invariant 6 accepts; the library's counters and hooks do
 * not see it, so its calls skip check_bounds.
 */
static int broken_fault(struct st_cpu *sc, uint32_t addr, unsigned access)
{
	/* Relaxed: this CPU's own word. */
	uint32_t lw = atomic_load_explicit(&sc->cpu.rd.loaded_w, memory_order_relaxed);
	const struct st_vset *vs = st_vset_of(&sys, prs_word_index(lw), sc->cls);
	uint32_t key;
	unsigned end, total, i, v;
	struct prs_mpu_range r = { 1, 0 };
	prs_reg_t bar = 0, lar = 0;

	/* The hooks' perturbation where the library's path would announce (hook()). */
	if (prs_rand_below(&sc->hrng, 4) == 0) {
		sched_yield();
		sc->yields++;
	}
	key = vs->key;
	end = key & 0xFFu;
	total = (key >> 8) & 0xFFu;
	for (i = 0; ST_NSTATIC + i < total && i < st_cap(); i++) {
		bar = vs->pair[i][0];
		lar = vs->pair[i][1];
		if (prs_mpu_model_region(PRS_ARCH_AARCH32, bar, lar, &r) && addr >= r.base &&
		    addr <= r.limit)
			break;
	}
	if (ST_NSTATIC + i >= total || i >= st_cap() ||
	    (prs_reg_perm(PRS_ARCH_AARCH32, bar) & access) != access)
		return PRS_FAULT_REAL;
	end = end < ST_NSLOTS ? end : ST_NSLOTS;
	for (v = ST_NSTATIC; v < end; v++)
		if (sc->mpu.prbar[v] == bar)
			return PRS_FAULT_REAL;
	v = sc->bvictim >= ST_NSTATIC && sc->bvictim < end ? sc->bvictim : ST_NSTATIC;
	sc->bvictim = v + 1u;
	prs_mpu_model_dsb(&sc->mpu);
	if (key & ST_KEY_AWAY) {
		prs_mpu_model_write(&sc->mpu, 1, v, 0);
		prs_mpu_model_isb(&sc->mpu);
		prs_mpu_model_write(&sc->mpu, 0, v, bar);
		prs_mpu_model_isb(&sc->mpu);
	} else {
		prs_mpu_model_write(&sc->mpu, 0, v, bar);
	}
	prs_mpu_model_write(&sc->mpu, 1, v, lar);
	prs_mpu_model_isb(&sc->mpu);
	return PRS_FAULT_RETRY;
}

/*
 * A fault-in replaced one slot, round robin: without a copy exactly one
 * dynamic slot changed, and the regions of the fault-ins since the last
 * copy (up to ST_NDYN - 1 of them) are still resident.
 */
static void check_victim(struct st_cpu *sc, const prs_reg_t *bar0, const prs_reg_t *lar0,
			 uint32_t addr, int copied)
{
	unsigned changed = 0, keep = sc->nfi < ST_NDYN - 1u ? sc->nfi : ST_NDYN - 1u;

	sc->permuted = 1;
	for (unsigned i = ST_NSTATIC; i < ST_NSLOTS && !copied; i++)
		changed += bar0[i] != sc->mpu.prbar[i] || lar0[i] != sc->mpu.prlar[i];
	if (!copied && changed != 1u)
		st_fail(F_VICTIM, "cpu %u: a fault-in at 0x%08x without a copy changed %u slots",
			sc->id, addr, changed);
	for (unsigned k = 1; k <= keep; k++) {
		uint32_t prev = sc->fi_addr[(sc->nfi - k) % ST_NDYN];

		if (st_mpu_slot_at(sc->mpu.prbar, sc->mpu.prlar, prev) < 0)
			st_fail(F_VICTIM, "cpu %u: the fault-in at 0x%08x evicted the one at 0x%08x, "
					  "%u fault-ins back (round robin over %u slots keeps %u)",
				sc->id, addr, prev, k, ST_NDYN, ST_NDYN - 1u);
	}
	sc->fi_addr[sc->nfi % ST_NDYN] = addr;
	sc->nfi++;
}

/* Why a fault result is wrong, in full. */
static void fault_wrong(const struct st_cpu *sc, unsigned t, const struct fault_pick *f, int res,
			int want, uint32_t s0, const struct st_seen *seen, int copied, int resident,
			uint32_t floor0)
{
	st_fail(F_FAULT, "cpu %u thread %u: fault at 0x%08x access 0x%x returned %s, expected %s: "
			 "the call %s seq %u (loaded %u), which %s the access there; the region was "
			 "%sresident before; revoke floor %u at the call",
		sc->id, t, f->addr, f->access, res ? "RETRY" : "REAL", want ? "RETRY" : "REAL",
		copied ? "copied" : "used the loaded", seen->seq, s0,
		st_grant(o.seed, t, seen->seq, sc->cls, f->addr, f->access) < 0 ? "does not grant"
										  : "grants",
		resident ? "" : "not ", floor0);
}

/*
 * One fault of the running thread, checked against what fault.c's rules
 * give for the version the call pinned (the MPU's version afterwards).
 */
static void do_fault(struct st_cpu *sc)
{
	unsigned t = (unsigned)sc->cur;
	uint32_t s0 = sc->last_seq[t], floor0 = check_floor(sc, "fault"), lw0;
	prs_reg_t bar0[ST_NSLOTS], lar0[ST_NSLOTS];
	struct fault_pick f;
	struct fault_call fc;
	struct st_seen seen;
	struct snap a;
	int res, want, j, resident;

	pick_fault(sc, t, floor0, &f);
	memcpy(bar0, sc->mpu.prbar, sizeof(bar0));
	memcpy(lar0, sc->mpu.prlar, sizeof(lar0));
	resident = st_mpu_slot_at(bar0, lar0, f.addr) >= 0;
	/* Relaxed: this CPU's own word (it changes iff the call copied a set). */
	lw0 = atomic_load_explicit(&sc->cpu.rd.loaded_w, memory_order_relaxed);
	start_call(sc, &a);
	res = o.fault_noann ? broken_fault(sc, f.addr, f.access)
			    : prs_fault(&sc->cpu, &threads[t].h, f.addr, f.access);
	fc.copied = atomic_load_explicit(&sc->cpu.rd.loaded_w, memory_order_relaxed) != lw0;
	if (fc.copied)
		copied_all(sc);
	check_mpu(sc, t, "fault", res == PRS_FAULT_RETRY, &seen);
	if (fc.copied != (seen.seq != s0))
		st_fail(F_FAULT, "cpu %u: fault at 0x%08x: the loaded word %s, the MPU went from seq "
				 "%u to %u",
			sc->id, f.addr, fc.copied ? "moved" : "stayed", s0, seen.seq);
	j = st_grant(o.seed, t, seen.seq, sc->cls, f.addr, f.access);
	want = j < 0 || (!fc.copied && resident) ? PRS_FAULT_REAL : PRS_FAULT_RETRY;
	if (res != want)
		fault_wrong(sc, t, &f, res, want, s0, &seen, fc.copied, resident, floor0);
	if (res == PRS_FAULT_RETRY && st_mpu_slot_at(sc->mpu.prbar, sc->mpu.prlar, f.addr) < 0)
		st_fail(F_FAULT, "cpu %u: RETRY for 0x%08x, yet no single enabled region covers it",
			sc->id, f.addr);
	/* A copy that loaded region j already: RETRY without a fault-in. */
	fc.fault_in = res == PRS_FAULT_RETRY && !(fc.copied && (unsigned)j < seen.resident);
	if (fc.fault_in)
		check_victim(sc, bar0, lar0, f.addr, fc.copied);
	if (!o.fault_noann)
		check_bounds(sc, &a, C_FAULT, &seen, &fc);
	sc->faults++;
	sc->retries += res == PRS_FAULT_RETRY;
	sc->reals += res == PRS_FAULT_REAL;
	sc->fault_ins += (unsigned)fc.fault_in;
	sc->fault_copies += (unsigned)fc.copied;
	/* A range a completed revoke took away (granted by floor - 1, not by seq): REAL above. */
	sc->revoked_reals += floor0 && j < 0 &&
			     st_grant(o.seed, t, floor0 - 1u, sc->cls, f.addr, f.access) >= 0;
}

static unsigned pick_thread(struct st_cpu *sc)
{
	/*
	 * One in four stays: the fast path (and a fast path racing a publish).
	 * Oversized, one in two: fault-ins live on across fast paths, and every
	 * copy costs the model a few hundred mixes.
	 */
	if (sc->cur >= 0 && prs_rand_below(&sc->rng, o.oversized ? 2 : 4) == 0)
		return (unsigned)sc->cur;
	return (unsigned)prs_rand_below(&sc->rng, o.nthreads);
}

static uint64_t total_switches(void)
{
	uint64_t n = 0;

	for (unsigned k = 0; k < o.ncpus; k++)
		n += st_load64(&cpus[k].done); /* progress only: orders nothing we rely on */
	return n;
}

static void progress(struct st_cpu *sc, double *next)
{
	double t;
	uint64_t n;

	if (!o.long_mode || sc->id != 0 || (sc->n & 0xFFFFu))
		return;
	t = now_s();
	if (t < *next)
		return;
	n = total_switches();
	printf("  %7.1f s: %llu switches (%.2f M/s), %u publishes, %u pin waits\n", t,
	       (unsigned long long)n, (double)n / t * 1e-6,
	       atomic_load_explicit(&sys.publishes, memory_order_relaxed),
	       atomic_load_explicit(&sys.pin_waits, memory_order_relaxed));
	fflush(stdout);
	*next = t + 10.0;
}

/* After the writers stopped: the IPI served, every thread's newest version loads. */
static void final_round(struct st_cpu *sc)
{
	unsigned first = (unsigned)prs_rand_below(&sc->rng, o.nthreads);

	serve_ipi(sc);
	if (sc->cur >= 0) {
		/* Final: every writer was joined before the stop flag this CPU acquired. */
		uint32_t want = st_load32(&threads[sc->cur].alloc);

		check_mpu(sc, (unsigned)sc->cur, "final IPI", 0, NULL);
		if (sc->last_seq[sc->cur] != want)
			st_fail(F_MISSED_RELOAD, "cpu %u runs thread %d at seq %u after serving its IPI; "
						 "newest is %u (reload mask missed this CPU)",
				sc->id, sc->cur, sc->last_seq[sc->cur], want);
	}
	for (unsigned i = 0; i < o.nthreads; i++) {
		unsigned t = (first + i) % o.nthreads;
		uint32_t want = st_load32(&threads[t].alloc); /* final, as above */

		do_switch(sc, t);
		if (sc->last_seq[t] != want)
			st_fail(F_CONVERGE, "cpu %u: final switch to thread %u loaded seq %u, newest %u",
				sc->id, t, sc->last_seq[t], want);
	}
}

static void *cpu_main(void *arg)
{
	struct st_cpu *sc = arg;
	struct st_barrier_state bs;
	uint64_t quota = o.switches / o.ncpus;
	double next = 10.0;

	st_barrier_state_init(&bs);
	st_barrier_wait(&start, &bs, o.ncpus + o.nwriters);
	for (;;) {
		serve_ipi(sc);
		if (sc->cur >= 0)
			check_mpu(sc, (unsigned)sc->cur, "running", 0, NULL);
		if (sc->n == quota)
			(void)st_faa32(&cpus_at_quota, 1); /* read by writers: when to stop */
		/* Acquire: pairs with main's store after joining the writers. */
		if (sc->n >= quota && st_load32(&stop))
			break;
		do_switch(sc, pick_thread(sc));
		/* Oversized: the thread touches addresses the MPU may not hold. */
		for (unsigned f = o.oversized ? (unsigned)prs_rand_below(&sc->rng, OVERSIZED_FAULTS)
					      : 0u;
		     f; f--)
			do_fault(sc);
		sc->n++;
		/* Release: progress for CPU 0's report; single writer. */
		st_store64(&sc->done, sc->n);
		progress(sc, &next);
	}
	final_round(sc);
	return NULL;
}

/* ---------------- writer side ---------------- */

static void reload_cb(void *ctx, uint32_t mask)
{
	(void)ctx;
	for (unsigned k = 0; k < o.ncpus; k++)
		if (mask & (1u << k))
			/* acq_rel: the publish before the callback happens-before the CPU's reload. */
			(void)st_xchg32(&cpus[k].ipi, 1);
}

/*
 * Under the writer lock: version v may be copied by a CPU whose announce
 * is (ah, aw) -- the pin rule of publish.c, over the writers' own record.
 */
static int pinned(const struct prs_handle *ah, uint32_t aw, uint32_t v)
{
	if (!ah || !vowner[v] || ah != &threads[vowner[v] - 1u].h)
		return 0;
	if (aw & PRS_WORD_EXACT)
		return prs_word_index(aw) == v;
	return !prs_epoch_before(vepoch[v], prs_word_epoch(aw));
}

/*
 * Under the writer lock (after begin): poison every version of the pool
 * that is no handle's current one and that no CPU pins, i.e. every version
 * the commit may reuse, so a version reused while a CPU still copies it
 * shows up as poison (or a data race under TSan). Safe by Claim 1: this
 * scan follows every earlier publish in S.
 */
static void poison_free(struct st_writer *w)
{
	uint32_t nv = prs_system_versions(&sys);
	uint8_t cur[PRS_MAX_VERSIONS] = { 0 };
	struct prs_handle *ah[PRS_MAX_CPUS];
	uint32_t aw[PRS_MAX_CPUS];

	for (unsigned t = 0; t < o.nthreads; t++) {
		/* Relaxed: only writers store words, and we hold the lock. */
		uint32_t word = atomic_load_explicit(&threads[t].h.word, memory_order_relaxed);

		vowner[prs_word_index(word)] = (uint8_t)(t + 1u);
		vepoch[prs_word_index(word)] = prs_word_epoch(word);
		cur[prs_word_index(word)] = 1;
	}
	for (unsigned k = 0; k < o.ncpus; k++) {
		const struct prs_reader *rd = &cpus[k].cpu.rd;

		/* seq_cst: after every earlier publish in S; then acquire, as publish.c's scan. */
		ah[k] = atomic_load_explicit(&rd->ann_h, memory_order_seq_cst);
		aw[k] = ah[k] ? atomic_load_explicit(&rd->ann_w, memory_order_acquire) : 0u;
	}
	for (uint32_t v = 0; v < nv; v++) {
		unsigned k = 0;

		while (k < o.ncpus && !pinned(ah[k], aw[k], v))
			k++;
		if (cur[v] || k < o.ncpus)
			continue;
		for (unsigned c = 0; c < sys.nclasses; c++)
			st_vset_poison(st_vset_of(&sys, v, c));
		w->poisoned++;
	}
}

/* begin; the staged sets must be thread t's current version. Returns the staging version. */
static struct prs_version *begin(struct st_writer *w, unsigned t)
{
	struct prs_version *v = prs_publish_begin(&threads[t].h);
	/* We hold the writer lock: the only writer of alloc now. */
	uint32_t cur = st_load32(&threads[t].alloc);

	if (!v)
		st_fail(F_LIB, "writer %u: prs_publish_begin(thread %u) returned NULL", w->id, t);
	if (!st_version_is(v, &sys, o.seed, t, cur))
		st_fail(F_PREFILL, "writer %u: prs_publish_begin(thread %u) staged something other "
				   "than its current version, seq %u",
			w->id, t, cur);
	return v;
}

/* begin, poison, (maybe yield), stage seq = alloc + 1, commit. Returns the seq. */
static uint32_t publish(struct st_writer *w, unsigned t, struct prs_ticket *tk)
{
	struct st_thread *th = &threads[t];
	struct prs_version *v = begin(w, t);
	uint32_t seq = st_load32(&th->alloc) + 1u;
	int err;

	if (seq >= ST_SEQ_LIMIT)
		st_fail(F_LIB, "thread %u: seq %u past the encoding's limit", t, seq);
	poison_free(w);
	if (prs_rand_below(&w->rng, 8) == 0)
		sched_yield(); /* perturbation: a copier of a reused version would now see poison */
	st_encode_version(v, &sys, o.seed, t, seq);
	/* Release, before the publish: a CPU that loads this version finds it counted. */
	st_store32(&th->alloc, seq);
	err = prs_publish_commit(&th->h, tk);
	if (err != PRS_OK)
		st_fail(F_LIB, "writer %u: prs_publish_commit(thread %u, seq %u) = %s", w->id, t, seq,
			prs_errname(err));
	w->publishes++;
	return seq;
}

static void raise_floor(unsigned t, uint32_t seq)
{
	uint32_t f;

	do {
		f = st_load32(&threads[t].floor);
		if (f >= seq)
			return;
		/* acq_rel: the ticket wait that returned happens-before CPUs' floor loads. */
	} while (!st_cas32(&threads[t].floor, f, seq));
}

static void revoke_sync(struct st_writer *w, unsigned t)
{
	struct prs_ticket tk;
	uint32_t seq = publish(w, t, &tk);

	if (!o.revoke_nowait)
		prs_ticket_wait(&tk);
	raise_floor(t, seq);
	w->revokes++;
}

static void revoke_async(struct st_writer *w, unsigned t)
{
	struct prs_ticket tk;
	uint32_t seq = publish(w, t, &tk);
	unsigned polls = (unsigned)prs_rand_below(&w->rng, 64);

	for (unsigned i = 0; i < polls && prs_ticket_poll(&tk) == PRS_E_AGAIN; i++) {
		w->polls++;
		prs_relax();
	}
	if (!o.revoke_nowait)
		prs_ticket_wait(&tk);
	raise_floor(t, seq);
	w->async_revokes++;
}

static void begin_abort(struct st_writer *w, unsigned t)
{
	struct prs_version *v = begin(w, t);

	/* Never published: a CPU that copies this poison fails the run, and the next begin
	 * of this thread must stage its current version again (prefill). */
	st_poison_version(v, &sys);
	prs_publish_abort(&threads[t].h);
	w->aborts++;
}

/*
 * The deliberately broken writer (--inplace-rewrite): rewrites the CURRENT
 * version in the pool, which CPUs may be copying, instead of letting the
 * commit take a free one. Takes the lock through begin only to keep other
 * writers out, then aborts.
 */
static void inplace_rewrite(struct st_writer *w, unsigned t)
{
	struct st_thread *th = &threads[t];
	uint32_t seq, cur;

	(void)begin(w, t);
	seq = st_load32(&th->alloc) + 1u;
	/* Relaxed: only writers store the word, and we hold the lock. */
	cur = prs_word_index(atomic_load_explicit(&th->h.word, memory_order_relaxed));
	st_store32(&th->alloc, seq); /* as in publish(): counted before anyone can copy it */
	for (unsigned c = 0; c < sys.nclasses; c++)
		st_vset_poison(st_vset_of(&sys, cur, c));
	sched_yield();
	for (unsigned c = 0; c < sys.nclasses; c++)
		st_vset_write(st_vset_of(&sys, cur, c), &sys, c, o.seed, t, seq, st_cap());
	prs_publish_abort(&th->h);
	w->inplace++;
}

/* Broken too (--inplace-torn): no poison, pair by pair, a yield halfway. */
static void inplace_torn(struct st_writer *w, unsigned t)
{
	struct st_thread *th = &threads[t];
	uint32_t seq, cur;

	(void)begin(w, t);
	seq = st_load32(&th->alloc) + 1u;
	cur = prs_word_index(atomic_load_explicit(&th->h.word, memory_order_relaxed));
	st_store32(&th->alloc, seq); /* as in publish() */
	for (unsigned c = 0; c < sys.nclasses; c++)
		st_vset_write(st_vset_of(&sys, cur, c), &sys, c, o.seed, t, seq,
			      c == 0 ? st_cap() / 2u : st_cap());
	prs_publish_abort(&th->h);
	w->inplace++;
}

static void *writer_main(void *arg)
{
	struct st_writer *w = arg;
	struct st_barrier_state bs;
	uint64_t min_ops = 200u / STRESS_SCALE_DIV + 20u;

	st_barrier_state_init(&bs);
	st_barrier_wait(&start, &bs, o.ncpus + o.nwriters);
	for (uint64_t ops = 0;; ops++) {
		unsigned t = (unsigned)prs_rand_below(&w->rng, o.nthreads);
		unsigned r = (unsigned)prs_rand_below(&w->rng, 100);

		/* Acquire: the CPUs' quota counter; the run ends when both sides did their share. */
		if (ops >= min_ops && st_load32(&cpus_at_quota) >= o.ncpus)
			break;
		if (o.inplace && r < 30)
			inplace_rewrite(w, t);
		else if (o.inplace_torn && r < 30)
			inplace_torn(w, t);
		else if (r < 60)
			(void)publish(w, t, NULL);
		else if (r < 85)
			revoke_sync(w, t);
		else if (r < 95)
			revoke_async(w, t);
		else
			begin_abort(w, t);
	}
	return NULL;
}

/* ---------------- set-up and report ---------------- */

static unsigned env_or(const char *name, unsigned dflt)
{
	const char *s = getenv(name);

	return s && *s ? (unsigned)strtoul(s, NULL, 0) : dflt;
}

static void parse(int argc, char **argv)
{
	const char *sw = getenv("PRS_STRESS_SWITCHES");
	const char *lg = getenv("PRS_STRESS_LONG");

	o.ncpus = env_or("PRS_STRESS_CPUS", 8);
	o.nthreads = env_or("PRS_STRESS_THREADS", 6);
	o.nwriters = env_or("PRS_STRESS_WRITERS", 3);
	o.long_mode = lg && *lg && strcmp(lg, "0") != 0;
	o.switches = 0; /* the mode's default, after the options */
	if (sw && *sw)
		o.switches = strtoull(sw, NULL, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : "0";

		if (!strcmp(a, "--inplace-rewrite"))
			o.inplace = 1;
		else if (!strcmp(a, "--inplace-torn"))
			o.inplace_torn = 1;
		else if (!strcmp(a, "--revoke-no-wait"))
			o.revoke_nowait = 1;
		else if (!strcmp(a, "--oversized"))
			o.oversized = 1;
		else if (!strcmp(a, "--fault-no-announce"))
			o.fault_noann = o.oversized = 1;
		else if (!strcmp(a, "--pool-exact"))
			o.pool_exact = 1;
		else if (!strcmp(a, "--classes") && ++i)
			o.nclasses = (unsigned)strtoul(val, NULL, 0);
		else if (!strncmp(a, "--expect-detect=", 16))
			o.expect = a + 16;
		else if (!strcmp(a, "--test-flags") && ++i)
			o.test_flags = (unsigned)strtoul(val, NULL, 0);
		else if (!strcmp(a, "--cpus") && ++i)
			o.ncpus = (unsigned)strtoul(val, NULL, 0);
		else if (!strcmp(a, "--threads") && ++i)
			o.nthreads = (unsigned)strtoul(val, NULL, 0);
		else if (!strcmp(a, "--writers") && ++i)
			o.nwriters = (unsigned)strtoul(val, NULL, 0);
		else if (!strcmp(a, "--switches") && ++i)
			o.switches = strtoull(val, NULL, 0);
		else {
			fprintf(stderr, "stress: unknown argument %s\n", a);
			exit(2);
		}
	}
	if (!o.switches)
		o.switches = o.long_mode ? LONG_SWITCHES
			     : o.oversized ? OVERSIZED_SWITCHES : SHORT_SWITCHES;
	if (!o.nclasses)
		o.nclasses = (o.ncpus + 1u) / 2u;
	/* One thread slot stays free for the handle --pool-exact expects refused. */
	if (o.ncpus < 1 || o.ncpus > PRS_MAX_CPUS || o.nthreads < 1 ||
	    o.nthreads >= ST_MAX_THREADS || o.nwriters < 1 ||
	    o.nwriters > sizeof(writers) / sizeof(writers[0]) || o.nclasses < 1 ||
	    o.nclasses > o.ncpus || o.nclasses > ST_MAX_CLASSES) {
		fprintf(stderr, "stress: need 1..%u CPUs, 1..%u threads, 1..16 writers, "
				"1..min(CPUs, %u) classes\n",
			PRS_MAX_CPUS, ST_MAX_THREADS - 1u, ST_MAX_CLASSES);
		exit(2);
	}
	o.seed = prs_test_seed();
}

/* One empty base rangeset per class: identical statics, distinct base objects. */
static void setup_layouts(void)
{
	int err;

	for (unsigned c = 0; c < o.nclasses; c++) {
		err = prs_rangeset_init(&bases[c], &base_store[c], 1, PRS_ARCH_AARCH32);
		if (err == PRS_OK)
			err = st_layout(&layouts[c], &bases[c]);
		if (err != PRS_OK)
			st_fail(F_LIB, "layout of class %u: %s", c, prs_errname(err));
	}
	if ((err = st_init(&layouts[0])) != PRS_OK)
		st_fail(F_LIB, "prs_layout_image: %s", prs_errname(err));
}

/* Pool: 2 (T + K + 1) versions, or exactly the bound T + K + 1 (--pool-exact). */
static uint32_t setup_pool(struct prs_system_config *cfg)
{
	uint32_t nv = o.nthreads + o.ncpus + 1u;
	size_t bytes;

	if (!o.pool_exact)
		nv *= 2u;
	bytes = PRS_POOL_BYTES((size_t)nv, o.nclasses, st_cap());
	pool = aligned_alloc(PRS_CACHE_LINE, bytes);
	if (!pool)
		st_fail(F_LIB, "no memory for a pool of %u versions", nv);
	cfg->pool = pool;
	cfg->pool_bytes = bytes;
	return nv;
}

static void setup_cpu(unsigned k)
{
	struct st_cpu *sc = &cpus[k];
	struct prs_set img;
	int err;

	sc->id = k;
	sc->cls = k % o.nclasses;
	if ((err = prs_cpu_init(&sys, &sc->cpu, k, &layouts[sc->cls])) != PRS_OK)
		st_fail(F_LIB, "prs_cpu_init(%u): %s", k, prs_errname(err));
	if (sys.cls_of[k] != sc->cls)
		st_fail(F_LIB, "cpu %u: library put it in class %u, its layout is class %u's", k,
			sys.cls_of[k], sc->cls);
	(void)prs_layout_image(&layouts[sc->cls], &img);
	prs_mpu_model_init(&sc->mpu, &img);
	/* Oversized: every batch checked for invariant 6 at its ISB (check_model). */
	sc->mpu.check = o.oversized;
	sc->cpu.hw = &sc->mpu;
	prs_test_cpu[k].hook = hook;
	prs_test_cpu[k].arg = sc;
	prs_test_cpu[k].flags = o.test_flags;
	sc->cur = -1;
	/* After init the library treats every dynamic slot as unknown (ordered, all of them). */
	sc->old_end = ST_NSLOTS;
	sc->old_away = 1;
	sc->rng = o.seed ^ (0x100000001B3ull * (k + 1u));
	sc->hrng = o.seed ^ (0xC2B2AE3D27D4EB4Full * (k + 1u));
	(void)prs_rand(&sc->rng);
}

/*
 * The pool holds what was asked for, the bound is enforced, and the test's
 * view of pool storage (struct st_vset) matches what the library wrote:
 * the poison and the broken writers rely on it.
 */
static void check_pool(uint32_t nv)
{
	int err;

	if (prs_system_versions(&sys) != nv)
		st_fail(F_POOL, "pool of PRS_POOL_BYTES(%u, %u, %u) bytes holds %u versions", nv,
			o.nclasses, st_cap(), prs_system_versions(&sys));
	if (sys.nclasses != o.nclasses)
		st_fail(F_LIB, "%u layout classes, expected %u", sys.nclasses, o.nclasses);
	if (o.pool_exact) {
		st_encode_version(&initial, &sys, o.seed, o.nthreads, 0);
		err = prs_handle_init(&threads[o.nthreads].h, &sys, &initial);
		if (err != PRS_E_POOL)
			st_fail(F_POOL, "handle %u of a pool of %u versions, %u CPUs: %s, expected "
					"PRS_E_POOL",
				o.nthreads + 1u, nv, o.ncpus, prs_errname(err));
	}
	for (unsigned t = 0; t < o.nthreads; t++) {
		uint32_t w = atomic_load_explicit(&threads[t].h.word, memory_order_relaxed);

		for (unsigned c = 0; c < sys.nclasses; c++)
			if (!st_vset_is(st_vset_of(&sys, prs_word_index(w), c), &sys, c, o.seed, t, 0))
				st_fail(F_LIB, "thread %u class %u: pool version %u is not laid out as "
					       "stress_set.h's struct st_vset says",
					t, c, prs_word_index(w));
	}
}

static void setup(void)
{
	struct prs_system_config cfg = { .ncpus = o.ncpus, .reload = reload_cb };
	uint32_t nv;
	int err;

	st_configure(o.oversized ? ST_CAP_DYN : ST_NDYN);
	setup_layouts();
	nv = setup_pool(&cfg);
	if ((err = prs_system_init(&sys, &cfg)) != PRS_OK)
		st_fail(F_LIB, "prs_system_init: %s", prs_errname(err));
	for (unsigned k = 0; k < o.ncpus; k++)
		setup_cpu(k);
	for (unsigned t = 0; t < o.nthreads; t++) {
		st_encode_version(&initial, &sys, o.seed, t, 0);
		if ((err = prs_handle_init(&threads[t].h, &sys, &initial)) != PRS_OK)
			st_fail(F_LIB, "prs_handle_init(%u): %s", t, prs_errname(err));
	}
	check_pool(nv);
	for (unsigned i = 0; i < o.nwriters; i++) {
		writers[i].id = i;
		writers[i].rng = o.seed ^ (0x9E3779B97F4A7C15ull * (i + 101u));
		(void)prs_rand(&writers[i].rng);
	}
	st_barrier_init(&start, o.ncpus + o.nwriters);
}

/*
 * Oversized mode, one line: the faults and what they did, the completed
 * revokes CPUs verified against every slot, the model's work. Each kind
 * the run exists for must have happened (else it proved nothing).
 */
static void report_faults(uint64_t revokes)
{
	struct st_cpu sum;
	unsigned long batches = 0, states = 0, violations = 0;

	memset(&sum, 0, sizeof(sum));
	for (unsigned k = 0; k < o.ncpus; k++) {
		sum.faults += cpus[k].faults;
		sum.retries += cpus[k].retries;
		sum.reals += cpus[k].reals;
		sum.fault_ins += cpus[k].fault_ins;
		sum.fault_copies += cpus[k].fault_copies;
		sum.revoked_reals += cpus[k].revoked_reals;
		sum.revokes_checked += cpus[k].revokes_checked;
		batches += cpus[k].mpu.batches_checked;
		states += cpus[k].mpu.states_checked;
		violations += cpus[k].mpu.violations;
	}
	printf("oversized: %llu faults: %llu RETRY (%llu fault-ins, %llu copied a republished set), "
	       "%llu REAL (%llu on ranges a returned revoke took); %llu revokes checked (%llu "
	       "revokes, each CPU's view of its floors, every slot); model: %lu batches, %lu "
	       "mixes, %lu violations\n",
	       (unsigned long long)sum.faults, (unsigned long long)sum.retries,
	       (unsigned long long)sum.fault_ins, (unsigned long long)sum.fault_copies,
	       (unsigned long long)sum.reals, (unsigned long long)sum.revoked_reals,
	       (unsigned long long)sum.revokes_checked, (unsigned long long)revokes, batches,
	       states, violations);
	if (!o.expect && (!sum.fault_ins || !sum.fault_copies || !sum.revoked_reals ||
			  !sum.revokes_checked))
		st_fail(F_LIB, "oversized run left a case untested: %llu fault-ins, %llu copies in a "
			       "fault, %llu faults on revoked ranges, %llu revokes checked",
			(unsigned long long)sum.fault_ins, (unsigned long long)sum.fault_copies,
			(unsigned long long)sum.revoked_reals,
			(unsigned long long)sum.revokes_checked);
}

static void report(double secs)
{
	uint64_t fast = 0, slow = 0, reloads = 0, copies = 0, yields = 0, ipis = 0, hooks = 0;
	uint64_t wmax = 0, ordered = 0, windows2 = 0;
	struct st_writer sum = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* After every thread was joined: plain reads would do; the counters are atomics. */
	uint32_t pin_waits = atomic_load(&sys.pin_waits), pubs = atomic_load(&sys.publishes);

	for (unsigned k = 0; k < o.ncpus; k++) {
		const struct prs_cpu_stats *st = &cpus[k].cpu.stats;

		fast += atomic_load(&st->fast);
		slow += atomic_load(&st->slow);
		reloads += atomic_load(&st->reloads);
		copies += atomic_load(&st->reload_copies);
		yields += cpus[k].yields;
		ipis += cpus[k].ipis;
		hooks = cpus[k].max_hooks > hooks ? cpus[k].max_hooks : hooks;
		wmax = cpus[k].max_writes > wmax ? cpus[k].max_writes : wmax;
		ordered += cpus[k].ordered;
		windows2 += cpus[k].windows2;
	}
	for (unsigned i = 0; i < o.nwriters; i++) {
		sum.publishes += writers[i].publishes;
		sum.revokes += writers[i].revokes;
		sum.async_revokes += writers[i].async_revokes;
		sum.polls += writers[i].polls;
		sum.aborts += writers[i].aborts;
		sum.inplace += writers[i].inplace;
		sum.poisoned += writers[i].poisoned;
	}
	printf("  %.2f s: %llu switches (%llu fast, %llu slow), %.2f M switches/s\n", secs,
	       (unsigned long long)(fast + slow), (unsigned long long)fast,
	       (unsigned long long)slow, (double)(fast + slow) / secs * 1e-6);
	printf("  reloads %llu (%llu copied) from %llu IPIs; %llu copies ordered; hook yields %llu\n",
	       (unsigned long long)reloads, (unsigned long long)copies, (unsigned long long)ipis,
	       (unsigned long long)ordered, (unsigned long long)yields);
	printf("  writers: %llu publishes (library counted %u with the %u first versions), %llu "
	       "sync revokes, %llu async (%llu polls), %llu aborts, %llu in-place, %llu pool "
	       "versions poisoned\n",
	       (unsigned long long)sum.publishes, pubs, o.nthreads, (unsigned long long)sum.revokes,
	       (unsigned long long)sum.async_revokes, (unsigned long long)sum.polls,
	       (unsigned long long)sum.aborts, (unsigned long long)sum.inplace,
	       (unsigned long long)sum.poisoned);
	printf("  per switch at most %llu hook points (%u), %llu MPU writes (2 per slot up to the "
	       "higher end + 1 per slot ordered, <= %u)\n",
	       (unsigned long long)hooks, HOOKS_SWITCH, (unsigned long long)wmax, 3u * ST_NDYN);
	printf("  pool %u versions (%s: %u handles + %u CPUs + 1 = %u), %u classes: pin_waits %u; "
	       "announce windows that saw 2+ publishes of their handle %llu\n",
	       prs_system_versions(&sys), o.pool_exact ? "exactly the bound" : "twice the bound",
	       o.nthreads, o.ncpus, o.nthreads + o.ncpus + 1u, o.nclasses, pin_waits,
	       (unsigned long long)windows2);
	if (pubs != sum.publishes + o.nthreads)
		st_fail(F_LIB, "library counted %u publishes, writers made %llu after %u first versions",
			pubs, (unsigned long long)sum.publishes, o.nthreads);
	/* Claim 2: with the pool at T + K + 1 or more, no wait without such a window. */
	if (pin_waits && !windows2)
		st_fail(F_POOL, "%u pin waits, yet no CPU saw two publishes of a handle inside an "
				"announce window", pin_waits);
	if (o.oversized)
		report_faults(sum.revokes + sum.async_revokes);
}

int main(int argc, char **argv)
{
	pthread_t ct[PRS_MAX_CPUS], wt[16];

	parse(argc, argv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("stress: %u CPUs in %u classes, %u threads, %u writers, %llu switches, %s%s; seed "
	       "0x%llx (PRS_SEED reproduces the inputs, not the interleaving); atomics: %s\n",
	       o.ncpus, o.nclasses, o.nthreads, o.nwriters, (unsigned long long)o.switches,
	       o.long_mode ? "long mode" : "short mode",
	       o.expect ? ", DELIBERATELY BROKEN" : "", (unsigned long long)o.seed,
	       STRESS_C11_ATOMICS ? "C11" : "Concurrency Kit");
	fflush(stdout);
	setup();
	for (unsigned k = 0; k < o.ncpus; k++)
		if (pthread_create(&ct[k], NULL, cpu_main, &cpus[k]) != 0)
			st_fail(F_LIB, "pthread_create");
	for (unsigned i = 0; i < o.nwriters; i++)
		if (pthread_create(&wt[i], NULL, writer_main, &writers[i]) != 0)
			st_fail(F_LIB, "pthread_create");
	for (unsigned i = 0; i < o.nwriters; i++)
		pthread_join(wt[i], NULL);
	/* Release: every publish and IPI flag happens-before the CPUs' final round. */
	st_store32(&stop, 1);
	for (unsigned k = 0; k < o.ncpus; k++)
		pthread_join(ct[k], NULL);
	report(now_s());
	free(pool);
	if (o.expect) {
		fprintf(stderr, "stress: the broken variant went UNDETECTED (expected %s)\n", o.expect);
		return 1;
	}
	printf("stress: ok\n");
	return 0;
}
