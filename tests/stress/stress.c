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
 *     round) and require the newest version everywhere.
 *   W writer threads: each loops over random handles doing publish (60%),
 *     publish + prs_ticket_wait, i.e. a synchronous revoke (25%), publish
 *     + poll + wait, an asynchronous revoke (10%), or begin + abort (5%).
 *     A buffer from prs_publish_begin is first filled with POISON, then
 *     (after an occasional yield) with the new version.
 *   The reload callback sets per-CPU IPI flags; CPUs poll them.
 *   Host hooks (PRS_HOOK_*) count the hook points each switch passes and
 *     now and then sched_yield() inside the switch to widen the windows
 *     between its loads and stores (a perturbation, never synchronization).
 *
 * Checks (each fails the run at once, printing the kind, the CPU, every
 * slot decoded, and the seed):
 *   torn / poison      every dynamic slot of the registers in force after a
 *                      switch or reload belongs to one (thread, seq) built
 *                      for this CPU, and none is poison (stress_set.h);
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
 *   bound              per switch or reload: at most 5 hook points, 0 MPU
 *                      writes on the fast path, at most 2 writes per slot
 *                      enabled in the new set plus 1 per slot it disables
 *                      (switch.c: "2N writes"), 1 DSB, 2 ISB, nothing left
 *                      pending, and the library's counters (fast/slow/
 *                      reloads, mpu_writes, barriers) agree with the model.
 *   TSan (host-tsan) adds: a buffer poisoned while a CPU copies it is a
 *   data race in the library's buffers.
 *
 * Inputs are reproducible from the seed (PRS_SEED): every version's
 * contents, each writer's and CPU's choices. The interleaving is not: it
 * is the host scheduler's. A failure prints the seed; rerunning with it
 * repeats the inputs, not necessarily the failure.
 *
 * Options (argv or environment): --cpus K (PRS_STRESS_CPUS), --threads T
 * (PRS_STRESS_THREADS), --writers W (PRS_STRESS_WRITERS), --switches N
 * (PRS_STRESS_SWITCHES: total over all CPUs), PRS_STRESS_LONG=1 (10^8
 * switches, progress lines).
 *
 * Deliberately broken runs, to show each checker can fail:
 *   --inplace-rewrite  a writer rewrites the CURRENT buffer in place
 *                      (poison, yield, new version), bypassing
 *                      prs_publish_begin's reclamation: caught as poison
 *                      (about 70% of runs); as torn or empty when the copy
 *                      read some slots before the poison and some after
 *                      the new version; as bound when it planned its writes
 *                      from poisoned gaps but read the slots of the new
 *                      version (the registers hold one version, the count
 *                      is off);
 *   --inplace-torn     the same without poison, slot by slot with a yield
 *                      halfway: caught as torn, or as bound when the
 *                      copier read ndyn from one version and the slots
 *                      from another but the registers it left happen to
 *                      form one version (it wrote more than the bound);
 *   --revoke-no-wait   a revoke raises its floor without prs_ticket_wait:
 *                      caught as revoked;
 *   --test-flags N     sets struct prs_cpu.test_flags (PRS_TEST_*), e.g. 4
 *                      (disable-first: 3 writes per moved slot): bound.
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
#include "prsched/error.h"
#include "prsched/mpu_model.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "stress_atomic.h"
#include "stress_set.h"

/* Switches per run in short mode; sanitizer builds run a fraction (STRESS_SCALE_DIV). */
#ifndef STRESS_SCALE_DIV
#define STRESS_SCALE_DIV 1
#endif
#define SHORT_SWITCHES (3000000u / STRESS_SCALE_DIV)
#define LONG_SWITCHES 100000000ull
#define HOOKS_MAX 5u /* PRS_HOOK_READ_W1 .. PRS_HOOK_DONE, once each */

enum fail_kind {
	F_TORN, F_POISON, F_STATIC, F_EMPTY, F_WRONG_THREAD, F_UNPUBLISHED, F_BACKWARDS,
	F_REVOKED, F_MISSED_RELOAD, F_CONVERGE, F_BOUND, F_LIB
};

static const char *const fail_names[] = {
	"torn", "poison", "static", "empty", "wrong-thread", "unpublished", "backwards",
	"revoked", "missed-reload", "not-converged", "bound", "library-error"
};

struct opts {
	unsigned ncpus, nthreads, nwriters;
	uint64_t switches; /* total over CPUs */
	uint64_t seed;
	int inplace, inplace_torn, revoke_nowait, long_mode;
	unsigned test_flags;
	const char *expect; /* --expect-detect=KIND, or NULL */
};

/* One simulated CPU. The first part is private to its thread. */
struct st_cpu {
	struct prs_cpu cpu;
	struct prs_mpu_model mpu;
	unsigned id;
	uint64_t rng;  /* choices of the CPU loop */
	uint64_t hrng; /* the hook's yields */
	uint32_t hooks;
	int cur;       /* thread running, -1 before the first switch */
	uint32_t last_seq[ST_MAX_THREADS];
	uint64_t n, yields, max_hooks, max_writes, ipis;
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
	uint64_t publishes, revokes, async_revokes, polls, aborts, inplace;
};

static struct opts o;
static struct prs_system sys;
static struct st_cpu cpus[PRS_MAX_CPUS];
static struct st_thread threads[ST_MAX_THREADS];
static struct st_writer writers[16];
static struct prs_version initial;
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

static void hook(struct prs_cpu *c, enum prs_hook_point p, void *arg)
{
	struct st_cpu *sc = arg;
	uint64_t odds = p == PRS_HOOK_ANNOUNCED || p == PRS_HOOK_READ_W2 ? 16u : 64u;

	(void)c;
	sc->hooks++;
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
	uint32_t hooks, fast, slow, reloads, copies, writes_stat, barriers_stat;
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
	s->fast = atomic_load_explicit(&st->fast, memory_order_relaxed);
	s->slow = atomic_load_explicit(&st->slow, memory_order_relaxed);
	s->reloads = atomic_load_explicit(&st->reloads, memory_order_relaxed);
	s->copies = atomic_load_explicit(&st->reload_copies, memory_order_relaxed);
	s->writes_stat = atomic_load_explicit(&st->mpu_writes, memory_order_relaxed);
	s->barriers_stat = atomic_load_explicit(&st->barriers, memory_order_relaxed);
	s->writes = sc->mpu.writes;
	s->dsbs = sc->mpu.dsbs;
	s->isbs = sc->mpu.isbs;
}

/* Bounded steps and honest counters for one call (reload: is_reload). */
static void check_bounds(struct st_cpu *sc, const struct snap *a, int is_reload)
{
	struct snap b;
	uint32_t hooks, copied;
	unsigned long writes, dsbs, isbs, most;

	take_snap(sc, &b);
	/* switch.c: 2 writes per slot of the new set, PRLAR = 0 per slot it drops. */
	most = 2ul * b.ndyn + (a->ndyn > b.ndyn ? a->ndyn - b.ndyn : 0u);
	hooks = b.hooks - a->hooks;
	writes = b.writes - a->writes;
	dsbs = b.dsbs - a->dsbs;
	isbs = b.isbs - a->isbs;
	copied = is_reload ? b.copies - a->copies : b.slow - a->slow;
	if (hooks > sc->max_hooks)
		sc->max_hooks = hooks;
	if (writes > sc->max_writes)
		sc->max_writes = writes;
	if (is_reload ? b.reloads - a->reloads != 1u : (b.fast - a->fast) + copied != 1u)
		st_fail(F_BOUND, "cpu %u: %s counted %u fast, %u slow, %u reloads", sc->id,
			is_reload ? "reload" : "switch", b.fast - a->fast, b.slow - a->slow,
			b.reloads - a->reloads);
	if (hooks > HOOKS_MAX || (!copied && (hooks || writes)))
		st_fail(F_BOUND, "cpu %u: %s passed %u hook points, %lu MPU writes (copied %u)",
			sc->id, is_reload ? "reload" : "switch", hooks, writes, copied);
	if (writes > most || dsbs > 1u || isbs > 2u || sc->mpu.npend)
		st_fail(F_BOUND, "cpu %u: one %s (%u -> %u dynamic slots) did %lu writes (bound "
				 "%lu), %lu DSB, %lu ISB, left %u pending; MPU events %s",
			sc->id, is_reload ? "reload" : "switch", a->ndyn, b.ndyn, writes, most, dsbs,
			isbs, sc->mpu.npend, sc->mpu.log);
	if (b.writes_stat - a->writes_stat != writes ||
	    b.barriers_stat - a->barriers_stat != dsbs + isbs)
		st_fail(F_BOUND, "cpu %u: counters say %u writes %u barriers, the model saw %lu, %lu",
			sc->id, b.writes_stat - a->writes_stat, b.barriers_stat - a->barriers_stat,
			writes, dsbs + isbs);
}

/* The registers in force: one published version of thread t, no older than allowed. */
static void check_mpu(struct st_cpu *sc, unsigned t, const char *what)
{
	struct st_seen seen;
	static const enum fail_kind kinds[] = { F_TORN, F_STATIC, F_EMPTY, F_POISON, F_TORN };
	char why[2048];
	enum st_verdict v = st_check_mpu(sc->mpu.prbar, sc->mpu.prlar, o.seed, sc->id, &seen,
					 why, sizeof(why));
	uint32_t alloc, floor;

	if (v == ST_TORN)
		st_fail(F_TORN, "cpu %u after %s to thread %u: slot %u disagrees with slot %u "
				"(thread %u seq %u, %u slots):%s",
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
		st_fail(F_REVOKED, "cpu %u after %s: runs thread %u at seq %u, revoked below %u and "
				   "the revoke returned",
			sc->id, what, t, seen.seq, floor);
}

static void do_switch(struct st_cpu *sc, unsigned t)
{
	struct snap a;

	start_call(sc, &a);
	prs_switch(&sc->cpu, &threads[t].h);
	sc->cur = (int)t;
	/* Contents first: a torn copy can also break the write bound, and is the root cause. */
	check_mpu(sc, t, "switch");
	check_bounds(sc, &a, 0);
}

/* The IPI handler: prs_reload if a writer's reload callback flagged us. */
static void serve_ipi(struct st_cpu *sc)
{
	struct snap a;

	/* Cheap look first; the exchange (acq_rel) pairs with the callback's exchange. */
	if (!st_load32(&sc->ipi) || !st_xchg32(&sc->ipi, 0))
		return;
	sc->ipis++;
	start_call(sc, &a);
	prs_reload(&sc->cpu);
	if (sc->cur >= 0)
		check_mpu(sc, (unsigned)sc->cur, "reload");
	check_bounds(sc, &a, 1);
}

static unsigned pick_thread(struct st_cpu *sc)
{
	/* One in four stays: the fast path (and a fast path racing a publish). */
	if (sc->cur >= 0 && prs_rand_below(&sc->rng, 4) == 0)
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
	printf("  %7.1f s: %llu switches (%.2f M/s), %u publishes on thread 0\n", t,
	       (unsigned long long)n, (double)n / t * 1e-6,
	       atomic_load_explicit(&threads[0].h.publishes, memory_order_relaxed));
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

		check_mpu(sc, (unsigned)sc->cur, "final IPI");
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
			check_mpu(sc, (unsigned)sc->cur, "running");
		if (sc->n == quota)
			(void)st_faa32(&cpus_at_quota, 1); /* read by writers: when to stop */
		/* Acquire: pairs with main's store after joining the writers. */
		if (sc->n >= quota && st_load32(&stop))
			break;
		do_switch(sc, pick_thread(sc));
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

/* begin, poison, (maybe yield), fill with seq = alloc + 1, commit. Returns the seq. */
static uint32_t publish(struct st_writer *w, unsigned t, struct prs_ticket *tk)
{
	struct st_thread *th = &threads[t];
	struct prs_version *v = prs_publish_begin(&th->h);
	/* We hold the handle's writer lock: the only writer of alloc now. */
	uint32_t seq = st_load32(&th->alloc) + 1u;
	int err;

	if (seq >= ST_SEQ_LIMIT)
		st_fail(F_LIB, "thread %u: seq %u past the encoding's limit", t, seq);
	st_poison_version(v, o.ncpus);
	if (prs_rand_below(&w->rng, 8) == 0)
		sched_yield(); /* perturbation: a copier of this buffer would now see poison */
	st_encode_version(v, o.ncpus, o.seed, t, seq);
	/* Release, before the publish: a CPU that loads this version finds it counted. */
	st_store32(&th->alloc, seq);
	err = prs_publish_commit(&th->h, v, tk);
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
	struct prs_version *v = prs_publish_begin(&threads[t].h);

	/* Never published: a CPU that copies this poison fails the run. */
	st_poison_version(v, o.ncpus);
	prs_publish_abort(&threads[t].h, v);
	w->aborts++;
}

/*
 * The deliberately broken writer (--inplace-rewrite): rewrites the CURRENT
 * buffer, which CPUs may be copying, instead of the one prs_publish_begin
 * reclaimed for it. Takes the lock through begin only to keep other writers
 * of the handle out, then gives the buffer back.
 */
static void inplace_rewrite(struct st_writer *w, unsigned t)
{
	struct st_thread *th = &threads[t];
	struct prs_version *v = prs_publish_begin(&th->h);
	struct prs_version *cur = (struct prs_version *)(uintptr_t)prs_publish_current(&th->h);
	uint32_t seq = st_load32(&th->alloc) + 1u;

	st_store32(&th->alloc, seq); /* as in publish(): counted before anyone can copy it */
	st_poison_version(cur, o.ncpus);
	sched_yield();
	st_encode_version(cur, o.ncpus, o.seed, t, seq);
	prs_publish_abort(&th->h, v);
	w->inplace++;
}

/* Broken too (--inplace-torn): no poison, slot by slot, a yield halfway. */
static void inplace_torn(struct st_writer *w, unsigned t)
{
	struct st_thread *th = &threads[t];
	struct prs_version *v = prs_publish_begin(&th->h);
	struct prs_version *cur = (struct prs_version *)(uintptr_t)prs_publish_current(&th->h);
	uint32_t seq = st_load32(&th->alloc) + 1u;
	struct prs_set s;

	st_store32(&th->alloc, seq); /* as in publish() */
	for (unsigned k = 0; k < o.ncpus; k++) {
		struct prs_set *d = prs_version_set(cur, k);

		st_encode(&s, o.seed, t, seq, k);
		for (unsigned i = ST_NSTATIC; i < ST_NSLOTS; i++) {
			d->prbar[i] = s.prbar[i];
			d->prlar[i] = s.prlar[i];
			d->gap[i] = s.gap[i];
			if (i == ST_NSTATIC + ST_NDYN / 2 && k == 0)
				sched_yield();
		}
		d->ndyn = s.ndyn;
	}
	prs_publish_abort(&th->h, v);
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
	o.switches = o.long_mode ? LONG_SWITCHES : SHORT_SWITCHES;
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
	if (o.ncpus < 1 || o.ncpus > PRS_MAX_CPUS || o.nthreads < 1 ||
	    o.nthreads > ST_MAX_THREADS || o.nwriters < 1 ||
	    o.nwriters > sizeof(writers) / sizeof(writers[0])) {
		fprintf(stderr, "stress: need 1..%u CPUs, 1..%u threads, 1..16 writers\n",
			PRS_MAX_CPUS, ST_MAX_THREADS);
		exit(2);
	}
	o.seed = prs_test_seed();
}

static void setup(void)
{
	struct prs_system_config cfg = { o.ncpus, reload_cb, NULL, 0, 0 };
	struct prs_set img;
	int err;

	st_image(&img);
	if ((err = prs_system_init(&sys, &cfg)) != PRS_OK)
		st_fail(F_LIB, "prs_system_init: %s", prs_errname(err));
	for (unsigned k = 0; k < o.ncpus; k++) {
		struct st_cpu *sc = &cpus[k];

		if ((err = prs_cpu_init(&sys, &sc->cpu, k, &img)) != PRS_OK)
			st_fail(F_LIB, "prs_cpu_init(%u): %s", k, prs_errname(err));
		prs_mpu_model_init(&sc->mpu, &img);
		sc->cpu.hw = &sc->mpu;
		sc->cpu.hook = hook;
		sc->cpu.hook_arg = sc;
		sc->cpu.test_flags = o.test_flags;
		sc->id = k;
		sc->cur = -1;
		sc->rng = o.seed ^ (0x100000001B3ull * (k + 1u));
		sc->hrng = o.seed ^ (0xC2B2AE3D27D4EB4Full * (k + 1u));
		(void)prs_rand(&sc->rng);
	}
	for (unsigned t = 0; t < o.nthreads; t++) {
		st_encode_version(&initial, o.ncpus, o.seed, t, 0);
		if ((err = prs_handle_init(&threads[t].h, &sys, &initial)) != PRS_OK)
			st_fail(F_LIB, "prs_handle_init(%u): %s", t, prs_errname(err));
	}
	for (unsigned i = 0; i < o.nwriters; i++) {
		writers[i].id = i;
		writers[i].rng = o.seed ^ (0x9E3779B97F4A7C15ull * (i + 101u));
		(void)prs_rand(&writers[i].rng);
	}
	st_barrier_init(&start, o.ncpus + o.nwriters);
}

static void report(double secs)
{
	uint64_t fast = 0, slow = 0, reloads = 0, copies = 0, yields = 0, ipis = 0, hooks = 0;
	uint64_t wmax = 0;
	struct st_writer sum = { 0, 0, 0, 0, 0, 0, 0, 0 };
	uint32_t pin_waits = 0, pubs = 0;

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
	}
	for (unsigned i = 0; i < o.nwriters; i++) {
		sum.publishes += writers[i].publishes;
		sum.revokes += writers[i].revokes;
		sum.async_revokes += writers[i].async_revokes;
		sum.polls += writers[i].polls;
		sum.aborts += writers[i].aborts;
		sum.inplace += writers[i].inplace;
	}
	for (unsigned t = 0; t < o.nthreads; t++) {
		pin_waits += atomic_load(&threads[t].h.pin_waits);
		pubs += atomic_load(&threads[t].h.publishes);
	}
	printf("  %.2f s: %llu switches (%llu fast, %llu slow), %.2f M switches/s\n", secs,
	       (unsigned long long)(fast + slow), (unsigned long long)fast,
	       (unsigned long long)slow, (double)(fast + slow) / secs * 1e-6);
	printf("  reloads %llu (%llu copied) from %llu IPIs; hook yields %llu\n",
	       (unsigned long long)reloads, (unsigned long long)copies, (unsigned long long)ipis,
	       (unsigned long long)yields);
	printf("  writers: %llu publishes (library counted %u), %llu sync revokes, %llu async "
	       "(%llu polls), %llu aborts, %llu in-place\n",
	       (unsigned long long)sum.publishes, pubs, (unsigned long long)sum.revokes,
	       (unsigned long long)sum.async_revokes, (unsigned long long)sum.polls,
	       (unsigned long long)sum.aborts, (unsigned long long)sum.inplace);
	printf("  per switch at most %llu hook points (bound %u), %llu MPU writes (bound 2 per slot "
	       "set + 1 per slot dropped, <= %u); writers' pin waits %u\n",
	       (unsigned long long)hooks, HOOKS_MAX, (unsigned long long)wmax, 2u * ST_NDYN, pin_waits);
	if (pubs != sum.publishes)
		st_fail(F_LIB, "library counted %u publishes, writers made %llu", pubs,
			(unsigned long long)sum.publishes);
}

int main(int argc, char **argv)
{
	pthread_t ct[PRS_MAX_CPUS], wt[16];

	parse(argc, argv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("stress: %u CPUs, %u threads, %u writers, %llu switches, %s%s; seed 0x%llx "
	       "(PRS_SEED reproduces the inputs, not the interleaving); atomics: %s\n",
	       o.ncpus, o.nthreads, o.nwriters, (unsigned long long)o.switches,
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
	if (o.expect) {
		fprintf(stderr, "stress: the broken variant went UNDETECTED (expected %s)\n", o.expect);
		return 1;
	}
	printf("stress: ok\n");
	return 0;
}
