/* SPDX-License-Identifier: MIT */
/*
 * Host threads as CPUs and writers: writers to one handle are serialized
 * while readers keep switching (a writer holding the lock waits for a
 * reader to make progress: if the reader could block on the lock, this
 * test would hang); a writer whose pool is exhausted by a CPU stuck between
 * its two word loads waits for exactly that CPU; a revoke returns only after
 * the CPU running the thread has reloaded. Every copy is checked for
 * tearing against the model. Run under TSan too: a buffer rewritten while a
 * CPU copies it is a data race TSan reports. No sleeps: threads hand off
 * through atomics.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include "fixture.h"

static struct prs_handle h1, h2;
static struct prs_version v0;

/* The tag of the version CPU k holds (from slot nstatic's base), checked whole. */
static int holds_some_version(unsigned k)
{
	uint32_t base = (uint32_t)fx_mpu[k].prbar[fx_nstatic] & ~0x3Fu;

	if (base < 0x10100000u)
		return 0;
	return fx_holds_tag(k, (base - 0x10100000u) / 0x100000u);
}

static void setup(unsigned ncpus)
{
	struct fx_region r[8];

	fx_init(ncpus, 0);
	fx_version(&v0, r, fx_tagged(r, 0));
	PRS_CHECK_EQ(prs_handle_init(&h1, &fx_sys.sys, &v0), PRS_OK);
	PRS_CHECK_EQ(prs_handle_init(&h2, &fx_sys.sys, &v0), PRS_OK);
}

/* This CPU's reload request, if any (the fixture's callback ORs masks in). */
static int take_ipi(unsigned k)
{
	return (atomic_fetch_and(&fx_sys.reload_mask, ~(1u << k)) >> k) & 1u;
}

/* ---- writers serialized, readers never blocked ---- */

static _Atomic uint32_t reader_switches;
static _Atomic int readers_done;
static int inside; /* plain on purpose: two writers inside at once is a TSan race */
static _Atomic int torn;

static void *reader(void *arg)
{
	unsigned k = (unsigned)(uintptr_t)arg;
	uint64_t rng = prs_test_seed() + k;

	for (unsigned i = 0; i < 3000; i++) {
		prs_switch(&fx_cpu[k], prs_rand_below(&rng, 2) ? &h1 : &h2);
		if (!holds_some_version(k))
			atomic_store(&torn, 1);
		if (take_ipi(k)) {
			prs_reload(&fx_cpu[k]);
			if (!holds_some_version(k))
				atomic_store(&torn, 1);
		}
		/* Orders nothing: a progress counter for the writer that waits on it. */
		atomic_fetch_add_explicit(&reader_switches, 1u, memory_order_relaxed);
	}
	atomic_fetch_add(&readers_done, 1);
	return NULL;
}

static void *writer(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint64_t rng = prs_test_seed() ^ (0x1234u + id);

	for (unsigned i = 0; i < 300; i++) {
		struct prs_handle *h = prs_rand_below(&rng, 4) ? &h1 : &h2;
		struct fx_region r[8];
		struct prs_version *v = prs_publish_begin(h);
		unsigned n = fx_tagged(r, 1 + (unsigned)prs_rand_below(&rng, 150));

		if (inside++ != 0)
			prs_test_fail(__FILE__, __LINE__, "two writers inside the system's writer lock");
		if (id == 0 && i == 0) {
			/* Hold the lock until the readers have made progress. */
			uint32_t start = atomic_load(&reader_switches);

			while (atomic_load(&reader_switches) < start + 200u && atomic_load(&readers_done) < 2)
				prs_relax();
		}
		fx_version(v, r, n);
		inside--;
		PRS_CHECK_EQ(prs_publish_commit(h, NULL), PRS_OK);
	}
	return NULL;
}

static void t_writers_serialized_readers_progress(void)
{
	pthread_t rd[2], wr[2];

	setup(2);
	atomic_store(&reader_switches, 0u);
	atomic_store(&readers_done, 0);
	atomic_store(&torn, 0);
	for (uintptr_t i = 0; i < 2; i++) {
		PRS_CHECK_EQ(pthread_create(&rd[i], NULL, reader, (void *)i), 0);
		PRS_CHECK_EQ(pthread_create(&wr[i], NULL, writer, (void *)i), 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		pthread_join(rd[i], NULL);
		pthread_join(wr[i], NULL);
	}
	PRS_CHECK_EQ(atomic_load(&torn), 0);
	PRS_CHECK_EQ(atomic_load(&fx_sys.sys.publishes), 600 + 2);
	PRS_CHECK_EQ(atomic_load(&reader_switches), 6000);
	prs_test_printf("  pin waits: %u\n", atomic_load(&fx_sys.sys.pin_waits));
}

/* ---- a writer out of versions waits for the CPU in its LOWER window ---- */

static _Atomic int in_window, release_reader;

static void window_hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	(void)arg;
	if (p != PRS_HOOK_ANNOUNCED)
		return;
	prs_test_cpu[cpu].hook = NULL;
	atomic_store(&in_window, 1);
	while (!atomic_load(&release_reader))
		prs_relax();
}

static void *slow_reader(void *arg)
{
	(void)arg;
	prs_switch(&fx_cpu[0], &h1);
	return NULL;
}

static void *releaser(void *arg)
{
	(void)arg;
	while (atomic_load(&fx_sys.sys.pin_waits) == 0)
		prs_relax();
	atomic_store(&release_reader, 1);
	return NULL;
}

static void t_pin_wait(void)
{
	pthread_t rd, rl;
	unsigned free;

	setup(2);
	atomic_store(&in_window, 0);
	atomic_store(&release_reader, 0);
	free = fx_sys.sys.nversions - 2u; /* h1's and h2's current */
	prs_switch(&fx_cpu[0], &h2);
	prs_test_cpu[0].hook = window_hook;
	PRS_CHECK_EQ(pthread_create(&rd, NULL, slow_reader, NULL), 0);
	PRS_CHECK_EQ(pthread_create(&rl, NULL, releaser, NULL), 0);
	while (!atomic_load(&in_window))
		prs_relax();
	/* Every free version taken, each with an epoch the LOWER pin covers. */
	for (unsigned i = 1; i <= free; i++)
		fx_publish_tag(&h1, i, NULL);
	PRS_CHECK_EQ(atomic_load(&fx_sys.sys.pin_waits), 0);
	/* This one has no free version until the reader stores EXACT. */
	fx_publish_tag(&h1, free + 1u, NULL);
	pthread_join(rd, NULL);
	pthread_join(rl, NULL);
	PRS_CHECK(atomic_load(&fx_sys.sys.pin_waits) > 0);
	prs_reload(&fx_cpu[0]);
	PRS_CHECK(fx_holds_tag(0, free + 1u));
}

/* ---- synchronous revoke against a CPU that serves reload IPIs ---- */

static _Atomic int stop_cpu;

static void *ipi_cpu(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_cpu)) {
		if (take_ipi(0))
			prs_reload(&fx_cpu[0]);
		else
			prs_relax();
	}
	return NULL;
}

static void t_revoke_waits_for_reload(void)
{
	pthread_t cpu;

	setup(2);
	atomic_store(&stop_cpu, 0);
	prs_switch(&fx_cpu[0], &h1);
	PRS_CHECK_EQ(pthread_create(&cpu, NULL, ipi_cpu, NULL), 0);
	for (unsigned i = 1; i <= 60 && !prs_test_failed(); i++) {
		struct prs_ticket t;

		fx_publish_tag(&h1, i, &t);
		PRS_CHECK_EQ(t.mask, 1u);
		prs_ticket_wait(&t);
		/* The wait read (acquire) loaded_w, stored (release) after the copy: the model is settled. */
		PRS_CHECK(fx_holds_tag(0, i));
	}
	atomic_store(&stop_cpu, 1);
	pthread_join(cpu, NULL);
}

/*
 * ---- the writer lock without exclusives ----
 * One writer thread per CPU index (the filter lock is keyed by it, so the
 * bound is the CPU count), each taking and dropping the system's writer
 * lock through prs_publish_begin/abort. Inside, a plain counter: two
 * writers inside at once is a TSan race, a lost update, and the occupancy
 * check. Then the same with the kernel's own lock (.lock/.unlock).
 */
#define LOCK_WRITERS (FX_CPUS < 4 ? FX_CPUS : 4)
#define LOCK_ROUNDS 3000u

static _Thread_local unsigned my_cpu;
static unsigned total; /* plain: only ever touched under the writer lock */
static pthread_mutex_t kmutex = PTHREAD_MUTEX_INITIALIZER;
static _Atomic unsigned klocks;

static unsigned cpu_id_cb(void *ctx)
{
	(void)ctx;
	return my_cpu;
}

static void klock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&kmutex);
	atomic_fetch_add(&klocks, 1u);
}

static void kunlock(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&kmutex);
}

static void filter_cfg(struct prs_system_config *cfg)
{
	cfg->cpu_id = cpu_id_cb;
}

static void kernel_lock_cfg(struct prs_system_config *cfg)
{
	cfg->lock = klock;
	cfg->unlock = kunlock;
}

static void *lock_writer(void *arg)
{
	my_cpu = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < LOCK_ROUNDS; i++) {
		if (!prs_publish_begin(i % 2u ? &h1 : &h2)) {
			prs_test_fail(__FILE__, __LINE__, "prs_publish_begin failed");
			break;
		}
		if (inside++ != 0)
			prs_test_fail(__FILE__, __LINE__, "two writers inside the writer lock");
		total++;
		inside--;
		prs_publish_abort(i % 2u ? &h1 : &h2);
	}
	return NULL;
}

static void run_lock_writers(void (*tweak)(struct prs_system_config *))
{
	pthread_t wr[LOCK_WRITERS];

	fx_tweak = tweak;
	setup(LOCK_WRITERS);
	fx_tweak = NULL;
	total = 0;
	inside = 0;
	for (uintptr_t i = 0; i < LOCK_WRITERS; i++)
		PRS_CHECK_EQ(pthread_create(&wr[i], NULL, lock_writer, (void *)i), 0);
	for (unsigned i = 0; i < LOCK_WRITERS; i++)
		pthread_join(wr[i], NULL);
	PRS_CHECK_EQ(total, LOCK_WRITERS * LOCK_ROUNDS);
}

static void t_filter_lock_excludes(void)
{
	run_lock_writers(filter_cfg);
	PRS_CHECK(fx_sys.sys.cfg.cpu_id == cpu_id_cb);
	PRS_CHECK_EQ(atomic_load(&fx_sys.sys.lock), 0u); /* the CAS lock was never used */
}

static void t_kernel_lock_used(void)
{
	atomic_store(&klocks, 0u);
	run_lock_writers(kernel_lock_cfg);
	/* Every writer entry went through the kernel's lock (+2 handle inits). */
	PRS_CHECK_EQ(atomic_load(&klocks), LOCK_WRITERS * LOCK_ROUNDS + 2u);
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_filter_lock_excludes),
	PRS_TEST_ENTRY(t_kernel_lock_used),
	PRS_TEST_ENTRY(t_writers_serialized_readers_progress),
	PRS_TEST_ENTRY(t_pin_wait),
	PRS_TEST_ENTRY(t_revoke_waits_for_reload),
};

PRS_TEST_MAIN("sync.threads", tests)
