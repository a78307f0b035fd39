/* SPDX-License-Identifier: MIT */
/*
 * prs-host-bench: per-operation latency of the reader (switch) and writer
 * (publish) sides of prsched and of baselines (liburcu qsbr/memb, CK epoch,
 * a Zephyr-style CAS flag), all in one run. The model is in bench.h, the
 * prsched variants in impl_prs.c, how to run it in run.sh.
 *
 * Timing: every operation is bracketed by `lfence; rdtsc; lfence` and
 * `rdtscp; lfence` (x86-64 only). The TSC is calibrated against
 * CLOCK_MONOTONIC in the same run; the median cost of an empty bracket is
 * measured and subtracted from every reported percentile.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "hist.h"

#if !defined(__x86_64__)
#error "prs-host-bench times with the TSC: x86-64 hosts only"
#endif

/* ---- clock ------------------------------------------------------------ */

static inline uint64_t tsc_begin(void)
{
	uint32_t lo, hi;

	/* lfence before: earlier work has finished; after: the op has not started. */
	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;

	/* rdtscp waits for the op's instructions; lfence keeps later work out. */
	__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* TSC ticks per ns, measured over `ms` of CLOCK_MONOTONIC. */
static double tsc_per_ns(unsigned ms)
{
	uint64_t n0 = mono_ns(), t0 = tsc_begin();
	uint64_t n1, t1;

	sleep_ns((uint64_t)ms * 1000000u);
	n1 = mono_ns();
	t1 = tsc_end();
	return (double)(t1 - t0) / (double)(n1 - n0);
}

/* ---- configuration ------------------------------------------------------ */

static const struct bench_impl *const all_impls[] = {
#ifdef BENCH_HAVE_PRSCHED
	&bench_impl_prsched_core,
	&bench_impl_prsched,
	&bench_impl_prsched_same,
#endif
	&bench_impl_qsbr,
	&bench_impl_memb,
	&bench_impl_ck,
	&bench_impl_flag,
};
#define N_ALL_IMPLS (sizeof(all_impls) / sizeof(all_impls[0]))

struct opts {
	unsigned duration_ms;
	unsigned repeats;
	unsigned max_readers;
	unsigned writer_period_ns;
	int pin;
	int check;
	const char *out_dir;
	const char *ref;
	const struct bench_impl *impls[N_ALL_IMPLS];
	unsigned nimpls;
};

struct config {
	unsigned readers, writers;
};

/* ---- one run ------------------------------------------------------------ */

#define BENCH_BATCH 16

enum { H_ALL, H_SAME, H_NEW, H_BATCH, H_COUNT };

struct run;

struct worker {
	struct run *run;
	pthread_t tid;
	unsigned idx;
	int writer;
	int cpu;
	struct hist *h; /* [H_COUNT] */
	uint64_t torn, regress, changes, ops;
	/* Progress for --check's stop rule; relaxed: only a heuristic to stop. */
	_Atomic uint64_t seen_ops, seen_changes;
} __attribute__((aligned(64)));

struct run {
	const struct bench_impl *impl;
	unsigned readers, writers;
	uint64_t period_cycles;
	pthread_barrier_t start;
	/* Relaxed: workers poll it; join() orders their results after it. */
	atomic_int stop;
	struct worker w[BENCH_MAX_THREADS];
};

static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET((unsigned)cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		fprintf(stderr, "warning: cannot pin to CPU %d\n", cpu);
}

/* One copied version: torn / regressed / new counts; 1 when it is a new version. */
static int account(struct worker *me, const struct bench_regs *mpu, uint64_t *last)
{
	uint64_t ver;
	int changed;

	if (bench_check(mpu, &ver) != 0) {
		me->torn++;
		return 0;
	}
	if (ver == BENCH_ALT_VER)
		return 0;
	if (ver < *last)
		me->regress++;
	changed = ver != *last;
	me->changes += (uint64_t)changed;
	*last = ver;
	return changed;
}

/*
 * Alternates two kinds of sample: one operation in its own bracket (the
 * latency distribution, split by whether the copy was a new version), then
 * BENCH_BATCH back-to-back operations in one bracket (per-operation cost with
 * the bracket overhead amortised: a steadier p50).
 */
static void *reader_main(void *arg)
{
	struct worker *me = arg;
	struct run *run = me->run;
	const struct bench_impl *impl = run->impl;
	struct bench_regs mpu[BENCH_BATCH];
	uint64_t last = 1; /* setup() installs version 1: only later ones are "new" */

	pin_self(me->cpu);
	pthread_barrier_wait(&run->start);
	impl->reader_begin(me->idx);
	while (!atomic_load_explicit(&run->stop, memory_order_relaxed)) {
		uint64_t t0 = tsc_begin(), dt;

		impl->read(me->idx, &mpu[0]);
		dt = tsc_end() - t0;
		if (impl->collect)
			impl->collect(me->idx, &mpu[0]);
		hist_add(&me->h[H_ALL], dt);
		hist_add(&me->h[account(me, &mpu[0], &last) ? H_NEW : H_SAME], dt);
		t0 = tsc_begin();
		for (unsigned k = 0; k < BENCH_BATCH; k++)
			impl->read(me->idx, &mpu[k]);
		hist_add(&me->h[H_BATCH], tsc_end() - t0);
		if (impl->collect)
			impl->collect(me->idx, &mpu[BENCH_BATCH - 1]);
		for (unsigned k = impl->collect ? BENCH_BATCH - 1 : 0; k < BENCH_BATCH; k++)
			(void)account(me, &mpu[k], &last);
		me->ops += 1 + BENCH_BATCH;
		atomic_store_explicit(&me->seen_ops, me->ops, memory_order_relaxed);
		atomic_store_explicit(&me->seen_changes, me->changes, memory_order_relaxed);
	}
	impl->reader_end(me->idx);
	return NULL;
}

static void *writer_main(void *arg)
{
	struct worker *me = arg;
	unsigned wi = me->idx - BENCH_MAX_THREADS / 2;
	struct run *run = me->run;
	const struct bench_impl *impl = run->impl;
	uint64_t ver[BENCH_MAX_THREADS];
	unsigned obj = wi;
	uint64_t next;

	for (unsigned i = 0; i < BENCH_MAX_THREADS; i++)
		ver[i] = 1; /* setup() installed version 1 everywhere */
	pin_self(me->cpu);
	pthread_barrier_wait(&run->start);
	impl->writer_begin(wi);
	next = tsc_begin();
	while (!atomic_load_explicit(&run->stop, memory_order_relaxed)) {
		uint64_t t0 = tsc_begin();

		impl->publish(wi, obj, ++ver[obj]);
		hist_add(&me->h[H_ALL], tsc_end() - t0);
		me->ops++;
		atomic_store_explicit(&me->seen_ops, me->ops, memory_order_relaxed);
		obj += run->writers; /* writer wi owns objects wi, wi+W, ... */
		if (obj >= run->readers)
			obj = wi;
		/* Pace: spin (keeping the CPU busy) until the next period starts. */
		next += run->period_cycles;
		while (tsc_begin() < next && !atomic_load_explicit(&run->stop, memory_order_relaxed))
			bench_pause();
		if (tsc_begin() > next + run->period_cycles)
			next = tsc_begin(); /* fell behind: do not burst to catch up */
	}
	impl->writer_end(wi);
	return NULL;
}

struct pct {
	double p50, p99, p999, max; /* ns, bracket overhead subtracted */
};

struct result {
	unsigned impl, readers, writers, rep;
	uint64_t rd_ops, wr_ops, torn, regress, min_changes;
	struct pct rd, rd_same, rd_new, wr;
	double rd_batch; /* ns per op: median batch, overhead subtracted, / BENCH_BATCH */
};

static double g_tsc_per_ns;
static uint64_t g_overhead; /* cycles, median empty bracket */

static double net_ns(uint64_t cycles)
{
	return cycles > g_overhead ? (double)(cycles - g_overhead) / g_tsc_per_ns : 0.0;
}

static struct pct pct_of(const struct hist *h)
{
	struct pct p = { net_ns(hist_quantile(h, 0.5)), net_ns(hist_quantile(h, 0.99)),
			 net_ns(hist_quantile(h, 0.999)), net_ns(h->max) };
	return p;
}

static int ncpus;

static int cpu_for(const struct opts *o, unsigned t)
{
	return o->pin ? (int)(t % (unsigned)ncpus) : -1;
}

/* In --check mode: every reader has done enough and seen enough versions. */
static int check_progress(struct run *run)
{
	for (unsigned r = 0; r < run->readers; r++) {
		struct worker *w = &run->w[r];

		if (atomic_load_explicit(&w->seen_ops, memory_order_relaxed) < 20000)
			return 0;
		if (run->writers > 0 &&
		    atomic_load_explicit(&w->seen_changes, memory_order_relaxed) < 50)
			return 0;
	}
	for (unsigned i = 0; i < run->writers; i++) {
		if (atomic_load_explicit(&run->w[BENCH_MAX_THREADS / 2 + i].seen_ops,
					 memory_order_relaxed) < 50)
			return 0;
	}
	return 1;
}

static int run_one(const struct opts *o, unsigned ii, struct config c, unsigned rep,
		   struct result *res)
{
	static struct run run;
	const struct bench_impl *impl = o->impls[ii];
	struct hist *rd = calloc(H_COUNT, sizeof(*rd)), *wr = calloc(1, sizeof(*wr));
	unsigned nthreads = c.readers + c.writers, t = 0;
	int rc = 0;

	memset(&run, 0, sizeof(run));
	run.impl = impl;
	run.readers = c.readers;
	run.writers = c.writers;
	run.period_cycles = (uint64_t)((double)o->writer_period_ns * g_tsc_per_ns);
	atomic_init(&run.stop, 0);
	if (rd == NULL || wr == NULL || impl->setup(c.readers, c.readers) != 0) {
		fprintf(stderr, "%s: setup failed\n", impl->name);
		free(rd);
		free(wr);
		return -1;
	}
	pthread_barrier_init(&run.start, NULL, nthreads + 1);
	for (unsigned i = 0; i < c.readers + c.writers; i++) {
		unsigned slot = i < c.readers ? i : BENCH_MAX_THREADS / 2 + (i - c.readers);
		struct worker *w = &run.w[slot];

		w->run = &run;
		w->idx = slot;
		w->writer = i >= c.readers;
		w->cpu = cpu_for(o, t++);
		w->h = calloc(H_COUNT, sizeof(*w->h));
		if (w->h == NULL || pthread_create(&w->tid, NULL, w->writer ? writer_main : reader_main,
						   w) != 0) {
			fprintf(stderr, "cannot start thread\n");
			exit(2);
		}
	}
	pthread_barrier_wait(&run.start);
	if (o->check) {
		uint64_t t0 = mono_ns();

		while (!check_progress(&run)) {
			if (mono_ns() - t0 > 30000000000ull) {
				fprintf(stderr, "%s R=%u W=%u: no progress in 30 s (stuck?)\n",
					impl->name, c.readers, c.writers);
				rc = -1;
				break;
			}
			sleep_ns(1000000);
		}
	} else {
		sleep_ns((uint64_t)o->duration_ms * 1000000u);
	}
	atomic_store_explicit(&run.stop, 1, memory_order_relaxed);

	memset(res, 0, sizeof(*res));
	res->impl = ii;
	res->readers = c.readers;
	res->writers = c.writers;
	res->rep = rep;
	res->min_changes = UINT64_MAX;
	for (unsigned i = 0; i < c.readers + c.writers; i++) {
		unsigned slot = i < c.readers ? i : BENCH_MAX_THREADS / 2 + (i - c.readers);
		struct worker *w = &run.w[slot];

		pthread_join(w->tid, NULL);
		if (w->writer) {
			hist_merge(wr, &w->h[H_ALL]);
			res->wr_ops += w->ops;
		} else {
			for (unsigned k = 0; k < H_COUNT; k++)
				hist_merge(&rd[k], &w->h[k]);
			res->rd_ops += w->ops;
			res->torn += w->torn;
			res->regress += w->regress;
			if (w->changes < res->min_changes)
				res->min_changes = w->changes;
		}
		free(w->h);
	}
	pthread_barrier_destroy(&run.start);
	impl->teardown();
	res->rd = pct_of(&rd[H_ALL]);
	res->rd_same = pct_of(&rd[H_SAME]);
	res->rd_new = pct_of(&rd[H_NEW]);
	res->rd_batch = net_ns(hist_quantile(&rd[H_BATCH], 0.5)) / BENCH_BATCH;
	res->wr = pct_of(wr);
	free(rd);
	free(wr);
	return rc;
}

/* ---- summary ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct spread {
	double min, med, max;
};

static struct spread spread_of(double *v, unsigned n)
{
	struct spread s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = (n & 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

enum field { F_P50, F_P99, F_P999, F_MAX, F_BATCH };
enum side { S_RD, S_RD_SAME, S_RD_NEW, S_WR };

static double field_of(const struct result *r, enum side sd, enum field f)
{
	const struct pct *p = sd == S_RD ? &r->rd : sd == S_RD_SAME ? &r->rd_same
					 : sd == S_RD_NEW ? &r->rd_new : &r->wr;

	switch (f) {
	case F_P50: return p->p50;
	case F_P99: return p->p99;
	case F_P999: return p->p999;
	case F_MAX: return p->max;
	default: return r->rd_batch;
	}
}

/* Spread across repeats of one statistic of (impl, config). */
static struct spread summarize(const struct result *res, unsigned nres, unsigned ii,
			       struct config c, enum side sd, enum field f)
{
	double v[64];
	unsigned n = 0;

	for (unsigned i = 0; i < nres && n < 64; i++) {
		const struct result *r = &res[i];

		if (r->impl == ii && r->readers == c.readers && r->writers == c.writers)
			v[n++] = field_of(r, sd, f);
	}
	return spread_of(v, n);
}

static double med(const struct result *res, unsigned nres, int ii, struct config c,
		  enum side sd, enum field f)
{
	return ii < 0 ? 0 : summarize(res, nres, (unsigned)ii, c, sd, f).med;
}

static int find_impl(const struct opts *o, const char *name)
{
	for (unsigned i = 0; i < o->nimpls; i++)
		if (strcmp(o->impls[i]->name, name) == 0)
			return (int)i;
	return -1;
}

static void ratio(char *buf, size_t n, double x, double ref)
{
	if (ref > 0)
		snprintf(buf, n, "%.2f", x / ref);
	else
		snprintf(buf, n, "-");
}

static void print_config(const struct opts *o, const struct result *res, unsigned nres,
			 struct config c, int ref)
{
	unsigned thr = c.readers + c.writers;

	printf("\nreaders=%u writers=%u threads=%u on %d CPUs%s\n", c.readers, c.writers, thr,
	       ncpus, (int)thr > ncpus ? "  ** OVERSUBSCRIBED: max/tails include scheduler time slices **" : "");
	printf("  %-13s %6s %-17s %6s %-16s %9s %5s %5s | %7s %7s | %7s %9s %9s\n", "impl",
	       "b16/op", "rd p50 [min-max]", "rd p99", "rd p99.9 [mn-mx]", "rd max", "p50/r",
	       "999/r", "new p50", "new999", "wr p50", "wr p99.9", "wr max");
	for (unsigned ii = 0; ii < o->nimpls; ii++) {
		struct spread p50 = summarize(res, nres, ii, c, S_RD, F_P50);
		struct spread p999 = summarize(res, nres, ii, c, S_RD, F_P999);
		double bt = med(res, nres, (int)ii, c, S_RD, F_BATCH);
		char a[40], b[40], r50[16], r999[16], n50[16] = "-", n999[16] = "-";
		char w50[16] = "-", w999[16] = "-", wmx[16] = "-";

		snprintf(a, sizeof(a), "%.1f [%.1f-%.1f]", p50.med, p50.min, p50.max);
		snprintf(b, sizeof(b), "%.0f [%.0f-%.0f]", p999.med, p999.min, p999.max);
		ratio(r50, sizeof(r50), bt, med(res, nres, ref, c, S_RD, F_BATCH));
		ratio(r999, sizeof(r999), p999.med, med(res, nres, ref, c, S_RD, F_P999));
		if (c.writers > 0) {
			snprintf(n50, sizeof(n50), "%.0f", med(res, nres, (int)ii, c, S_RD_NEW, F_P50));
			snprintf(n999, sizeof(n999), "%.0f", med(res, nres, (int)ii, c, S_RD_NEW, F_P999));
			snprintf(w50, sizeof(w50), "%.0f", med(res, nres, (int)ii, c, S_WR, F_P50));
			snprintf(w999, sizeof(w999), "%.0f", med(res, nres, (int)ii, c, S_WR, F_P999));
			snprintf(wmx, sizeof(wmx), "%.0f", med(res, nres, (int)ii, c, S_WR, F_MAX));
		}
		printf("  %-13s %6.1f %-17s %6.1f %-16s %9.0f %5s %5s | %7s %7s | %7s %9s %9s\n",
		       o->impls[ii]->name, bt, a, med(res, nres, (int)ii, c, S_RD, F_P99), b,
		       med(res, nres, (int)ii, c, S_RD, F_MAX), r50, r999, n50, n999, w50, w999, wmx);
	}
}

static void print_table(const struct opts *o, const struct result *res, unsigned nres,
			const struct config *cfg, unsigned ncfg)
{
	int ref = find_impl(o, o->ref);

	printf("\nReader op = acquire + copy 8 slots (16 values) + release/announce done; writer op = "
	       "fill 8 slots + publish + reclaim.\n"
	       "All values ns per operation with the bracket overhead subtracted, median over %u "
	       "repeats ([min-max] across repeats where shown).\n"
	       "  b16/op: median of 16-op batches / 16 (steadiest p50 estimate; back-to-back ops may "
	       "overlap in the pipeline)\n"
	       "  rd p50..max: single-op brackets; new p50/new999: only the reads that copied a version "
	       "they had not seen before\n"
	       "  p50/r = b16/op ratio, 999/r = rd p99.9 ratio, both to %s in the same configuration\n",
	       o->repeats, ref >= 0 ? o->ref : "(reference not in this run)");
	for (unsigned ci = 0; ci < ncfg; ci++)
		print_config(o, res, nres, cfg[ci], ref);
}

/* The targets the lead asked to see, reported (never asserted). */
static void print_targets(const struct opts *o, const struct result *res, unsigned nres,
			  const struct config *cfg, unsigned ncfg)
{
	int me = find_impl(o, o->ref), qs = find_impl(o, "urcu-qsbr"),
	    mb = find_impl(o, "urcu-memb"), fl = find_impl(o, "cas-flag");

	if (me < 0)
		return;
	printf("\nTargets (reported, not asserted) for %s's reader side; p50 = b16/op:\n", o->ref);
	for (unsigned ci = 0; ci < ncfg; ci++) {
		struct config c = cfg[ci];
		double p = med(res, nres, me, c, S_RD, F_BATCH);
		double q = med(res, nres, qs, c, S_RD, F_BATCH), m = med(res, nres, mb, c, S_RD, F_BATCH);

		if (c.writers != 0 || qs < 0 || mb < 0)
			continue;
		printf("  R=%u W=0: p50 %.1f ns; urcu-qsbr %.1f ns -> %.2fx (target <= 1.5x: %s); "
		       "urcu-memb %.1f ns -> %s%s\n",
		       c.readers, p, q, q > 0 ? p / q : 0, p <= 1.5 * q ? "met" : "NOT met", m,
		       p < m ? "faster (met)" : "NOT faster (not met)",
		       (int)c.readers > ncpus ? "  (oversubscribed)" : "");
	}
	for (unsigned ci = 0; ci < ncfg; ci++) {
		struct config c = cfg[ci], c0 = { cfg[ci].readers, 0 };
		double t = med(res, nres, me, c, S_RD, F_P999), t0 = med(res, nres, me, c0, S_RD, F_P999);
		double ts = med(res, nres, me, c, S_RD_SAME, F_P999);

		if (c.writers != c.readers)
			continue;
		printf("  R=%u W=%u: p99.9 %.1f ns vs %.1f ns with no writer -> %.2fx (target <= 1.2x: %s);"
		       " reads of an unchanged version only: %.1f ns -> %.2fx",
		       c.readers, c.writers, t, t0, t0 > 0 ? t / t0 : 0, t <= 1.2 * t0 ? "met" : "NOT met",
		       ts, t0 > 0 ? ts / t0 : 0);
		if (fl >= 0)
			printf("; cas-flag p99.9 %.1f ns (%.1f no writer), max %.0f ns",
			       med(res, nres, fl, c, S_RD, F_P999), med(res, nres, fl, c0, S_RD, F_P999),
			       med(res, nres, fl, c, S_RD, F_MAX));
		printf("%s\n", (int)(c.readers + c.writers) > ncpus ? "  (oversubscribed)" : "");
	}
}

static void csv_pct(FILE *f, const struct pct *p)
{
	fprintf(f, ",%.2f,%.2f,%.2f,%.2f", p->p50, p->p99, p->p999, p->max);
}

static FILE *open_out(const struct opts *o, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", o->out_dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	return f;
}

static void write_csv(const struct opts *o, const struct result *res, unsigned nres,
		      const struct config *cfg, unsigned ncfg)
{
	FILE *f = open_out(o, "host.csv");

	/* One row per run: every repeat, so the noise can be re-analysed. */
	fprintf(f, "impl,readers,writers,threads,cpus,repeat,rd_ops,wr_ops,torn,regress,"
		   "rd_b16_per_op_ns,rd_p50_ns,rd_p99_ns,rd_p999_ns,rd_max_ns,"
		   "same_p50_ns,same_p99_ns,same_p999_ns,same_max_ns,"
		   "new_p50_ns,new_p99_ns,new_p999_ns,new_max_ns,"
		   "wr_p50_ns,wr_p99_ns,wr_p999_ns,wr_max_ns\n");
	for (unsigned i = 0; i < nres; i++) {
		const struct result *r = &res[i];

		fprintf(f, "%s,%u,%u,%u,%d,%u,%llu,%llu,%llu,%llu,%.2f", o->impls[r->impl]->name,
			r->readers, r->writers, r->readers + r->writers, ncpus, r->rep,
			(unsigned long long)r->rd_ops, (unsigned long long)r->wr_ops,
			(unsigned long long)r->torn, (unsigned long long)r->regress, r->rd_batch);
		csv_pct(f, &r->rd);
		csv_pct(f, &r->rd_same);
		csv_pct(f, &r->rd_new);
		csv_pct(f, &r->wr);
		fprintf(f, "\n");
	}
	fclose(f);

	/* One row per (impl, config): medians and spreads across repeats, for gnuplot. */
	f = open_out(o, "host-summary.csv");
	fprintf(f, "impl,readers,writers,wmode,b16_med,b16_min,b16_max,p50_med,p50_min,p50_max,"
		   "p999_med,p999_min,p999_max,max_med,wr_p50_med,wr_p999_med\n");
	for (unsigned ii = 0; ii < o->nimpls; ii++) {
		for (unsigned ci = 0; ci < ncfg; ci++) {
			struct config c = cfg[ci];
			struct spread bt = summarize(res, nres, ii, c, S_RD, F_BATCH);
			struct spread p5 = summarize(res, nres, ii, c, S_RD, F_P50);
			struct spread p9 = summarize(res, nres, ii, c, S_RD, F_P999);
			/* R=1: one writer is also one writer per reader; list it as both. */
			int both = c.readers == 1 && c.writers == 1;

			for (int dup = 0; dup <= both; dup++)
				fprintf(f, "%s,%u,%u,%s,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f\n",
					o->impls[ii]->name, c.readers, c.writers,
					c.writers == 0 ? "none" : (c.writers == c.readers && !dup) ? "per-reader" : "one",
					bt.med, bt.min, bt.max, p5.med, p5.min, p5.max, p9.med, p9.min,
					p9.max, med(res, nres, (int)ii, c, S_RD, F_MAX),
					c.writers ? med(res, nres, (int)ii, c, S_WR, F_P50) : 0.0,
					c.writers ? med(res, nres, (int)ii, c, S_WR, F_P999) : 0.0);
		}
	}
	fclose(f);
}

/* ---- harness self-test and main ----------------------------------------- */

/* The checker must reject every torn mix, or --check proves nothing. */
static int selftest_checker(void)
{
	struct bench_regs r;
	uint64_t v = 0;
	int bad = 0;

	bench_fill(&r, 7);
	bad |= bench_check(&r, &v) != 0 || v != 7;
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		bench_fill(&r, 7);
		r.prbar[i] = bench_prbar(8, i); /* one slot from the next version */
		bad |= bench_check(&r, &v) == 0;
		bench_fill(&r, 7);
		r.prlar[i] = bench_prlar(6, i);
		bad |= bench_check(&r, &v) == 0;
		bench_fill(&r, 7);
		r.prlar[i] = bench_prlar(7, (i + 1) % BENCH_SLOTS); /* right version, wrong slot */
		bad |= bench_check(&r, &v) == 0;
	}
	memset(&r, 0, sizeof(r)); /* a never-written buffer */
	bad |= bench_check(&r, &v) == 0;
	if (bad)
		fprintf(stderr, "FAIL: bench_check accepts a torn copy\n");
	return bad ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: prs-host-bench [--duration-ms N] [--repeats N] [--max-readers K]\n"
		"         [--writer-period-ns N] [--impl a,b,..] [--ref NAME] [--no-pin]\n"
		"         [--out DIR] [--check]\n");
	exit(2);
}

static void parse_impls(struct opts *o, char *list)
{
	o->nimpls = 0;
	for (char *tok = strtok(list, ","); tok != NULL; tok = strtok(NULL, ",")) {
		unsigned i;

		for (i = 0; i < N_ALL_IMPLS; i++)
			if (strcmp(all_impls[i]->name, tok) == 0)
				break;
		if (i == N_ALL_IMPLS) {
			fprintf(stderr, "unknown implementation '%s'\n", tok);
			exit(2);
		}
		o->impls[o->nimpls++] = all_impls[i];
	}
}

static void parse(struct opts *o, int argc, char **argv)
{
	o->duration_ms = 120;
	o->repeats = 5;
	o->max_readers = 4;
	o->writer_period_ns = 10000;
	o->pin = 1;
	o->ref = all_impls[0]->name;
	for (unsigned i = 0; i < N_ALL_IMPLS; i++)
		o->impls[i] = all_impls[i];
	o->nimpls = N_ALL_IMPLS;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;

		if (strcmp(a, "--check") == 0)
			o->check = 1;
		else if (strcmp(a, "--no-pin") == 0)
			o->pin = 0;
		else if (strcmp(a, "--duration-ms") == 0 && more)
			o->duration_ms = (unsigned)atoi(argv[++i]);
		else if (strcmp(a, "--repeats") == 0 && more)
			o->repeats = (unsigned)atoi(argv[++i]);
		else if (strcmp(a, "--max-readers") == 0 && more)
			o->max_readers = (unsigned)atoi(argv[++i]);
		else if (strcmp(a, "--writer-period-ns") == 0 && more)
			o->writer_period_ns = (unsigned)atoi(argv[++i]);
		else if (strcmp(a, "--impl") == 0 && more)
			parse_impls(o, argv[++i]);
		else if (strcmp(a, "--ref") == 0 && more)
			o->ref = argv[++i];
		else if (strcmp(a, "--out") == 0 && more)
			o->out_dir = argv[++i];
		else
			usage();
	}
	if (o->check) {
		o->repeats = 1;
		o->max_readers = o->max_readers < 2 ? o->max_readers : 2;
	}
	if (o->max_readers < 1 || o->max_readers > BENCH_MAX_THREADS / 2 || o->repeats < 1 ||
	    o->repeats > 64)
		usage();
}

/* Readers 1..K; writers 0, 1 and one per reader (deduplicated). */
static unsigned make_configs(const struct opts *o, struct config *cfg)
{
	unsigned n = 0;

	for (unsigned r = 1; r <= o->max_readers; r++) {
		cfg[n++] = (struct config){ r, 0 };
		cfg[n++] = (struct config){ r, 1 };
		if (r > 1)
			cfg[n++] = (struct config){ r, r };
	}
	return n;
}

/* Other processes on these 2 CPUs are noise the table cannot remove: show them. */
static void print_loadavg(const char *when)
{
	char buf[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f != NULL) {
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("%s: %s (1/5/15 min; anything above the benchmark's own threads is other load)\n",
	       when, buf);
}

static uint64_t measure_overhead(uint64_t *p99)
{
	struct hist *h = calloc(1, sizeof(*h));
	uint64_t med;

	if (h == NULL)
		exit(2);
	for (unsigned i = 0; i < 1000000; i++) {
		uint64_t t0 = tsc_begin();

		hist_add(h, tsc_end() - t0);
	}
	med = hist_quantile(h, 0.5);
	*p99 = hist_quantile(h, 0.99);
	free(h);
	return med;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct config cfg[3 * BENCH_MAX_THREADS];
	struct result *res;
	unsigned ncfg, nres = 0, failures = 0;
	uint64_t oh99;
	double tpn_end;
	cpu_set_t avail;

	memset(&o, 0, sizeof(o));
	parse(&o, argc, argv);
	if (selftest_checker() != 0)
		return 1;
	ncpus = sched_getaffinity(0, sizeof(avail), &avail) == 0 ? CPU_COUNT(&avail) : 1;
	ncfg = make_configs(&o, cfg);
	res = calloc((size_t)ncfg * o.nimpls * o.repeats, sizeof(*res));
	if (res == NULL)
		return 2;

	pin_self(o.pin ? 0 : -1);
	g_tsc_per_ns = tsc_per_ns(o.check ? 10 : 100);
	g_overhead = measure_overhead(&oh99);
	printf("prs-host-bench: %u implementation(s), %u configuration(s), %u repeat(s), %u ms each%s\n",
	       o.nimpls, ncfg, o.repeats, o.duration_ms, o.check ? " (--check: run until progress)" : "");
	printf("clock: TSC %.3f GHz (calibrated against CLOCK_MONOTONIC), 1 tick = %.2f ns; "
	       "empty lfence/rdtsc..rdtscp/lfence bracket: p50 %llu ticks (%.1f ns, subtracted), "
	       "p99 %llu ticks\n",
	       g_tsc_per_ns, 1.0 / g_tsc_per_ns, (unsigned long long)g_overhead,
	       (double)g_overhead / g_tsc_per_ns, (unsigned long long)oh99);
	printf("threads: %s; %d CPUs; writers publish every %u ns (spinning in between; 0 = flat out)\n",
	       o.pin ? "pinned round-robin (readers first, then writers) with pthread_setaffinity_np"
		     : "not pinned",
	       ncpus, o.writer_period_ns);
	print_loadavg("load average at start");
	for (unsigned ii = 0; ii < o.nimpls; ii++)
		if (o.impls[ii]->note != NULL)
			printf("note: %s\n", o.impls[ii]->note());
	fflush(stdout);
	pin_self(-1);

	/* Interleave: every repeat visits every (config, impl), so drift hits all alike. */
	for (unsigned rep = 0; rep < o.repeats; rep++) {
		for (unsigned ci = 0; ci < ncfg; ci++) {
			for (unsigned ii = 0; ii < o.nimpls; ii++) {
				struct result *r = &res[nres];

				if (run_one(&o, ii, cfg[ci], rep, r) != 0) {
					failures++;
					continue;
				}
				nres++;
				if (r->torn || r->regress || (o.check && cfg[ci].writers && r->min_changes < 2)) {
					printf("FAIL %s R=%u W=%u: %llu torn copies, %llu version regressions, "
					       "min versions seen %llu\n",
					       o.impls[ii]->name, cfg[ci].readers, cfg[ci].writers,
					       (unsigned long long)r->torn, (unsigned long long)r->regress,
					       (unsigned long long)r->min_changes);
					failures++;
				} else if (o.check) {
					printf("ok   %-13s R=%u W=%u: %llu reads, %llu publishes, each reader saw "
					       ">= %llu versions, all complete, none older than the last\n",
					       o.impls[ii]->name, cfg[ci].readers, cfg[ci].writers,
					       (unsigned long long)r->rd_ops, (unsigned long long)r->wr_ops,
					       (unsigned long long)r->min_changes);
				}
			}
		}
	}
	tpn_end = tsc_per_ns(o.check ? 10 : 100);
	if (!o.check) {
		printf("clock re-check at the end: %.3f GHz (%.3f%% drift)\n", tpn_end,
		       100.0 * (tpn_end - g_tsc_per_ns) / g_tsc_per_ns);
		print_loadavg("load average at the end");
		print_table(&o, res, nres, cfg, ncfg);
		print_targets(&o, res, nres, cfg, ncfg);
		if (o.out_dir != NULL)
			write_csv(&o, res, nres, cfg, ncfg);
	}
	free(res);
	if (failures) {
		printf("%u run(s) FAILED the correctness checks\n", failures);
		return 1;
	}
	if (o.check)
		printf("all implementations: readers only ever copied complete versions\n");
	return 0;
}
