/* SPDX-License-Identifier: MIT */
/*
 * prsched under the benchmark, three ways (all through the public API):
 *
 *   prsched-core  prs_switch() with no MPU backend (cpu->hw == NULL): the
 *                 switch reads the handle's word, announces the version,
 *                 walks the copy of the 8 slots (with no register to write
 *                 the host backend drops each write), records the loaded
 *                 version, clears the announce. The library keeps no
 *                 register shadow any more, so the check (untimed,
 *                 prs_collect) reads the version the CPU recorded as
 *                 loaded from the pool while it is still current.
 *   prsched       the same switch writing through the host MPU model (every
 *                 PRBAR/PRLAR write queued, committed at the modelled ISB;
 *                 the model's invariant-6 check is off). What the host
 *                 build's full switch costs; the model is host-only.
 *   prsched-same  prs_switch() to the same handle every time, model on: the
 *                 real fast path (one load and compare, no MPU access) unless
 *                 a writer published since; copies only when it did.
 *
 * So that every operation of prsched-core and prsched copies 8 slots, reader
 * r alternates between its thread's handle (written by the writers) and a
 * second thread's handle on the same CPU (never written, version ALT), whose
 * 8 regions all differ: every switch is a full 16-register slow path, like a
 * switch between two threads with disjoint dynamic regions.
 *
 * Setup: system of `readers` CPUs, each MPU with 16 slots: slot 0 a static
 * region at the top of the 48-bit space, slots 1..8 the 8 dynamic regions
 * of the bench encoding (one 64-byte granule each, below the static one:
 * gap 0, the home gap: every copy is the blind one), AArch64 format
 * (64-bit host registers). All CPUs share one layout, hence one layout
 * class and one set per version. The reload callback does nothing: a
 * reader picks up a new version at its next switch. prs_publish_begin
 * stages the handle's current set; the writer changes its 8 slots and
 * commits (prs_version_check, the pool scan for a free version, the
 * encode, the publish and the reload scan are all inside the timed
 * publish). One shared pool of 2 * nobj + readers + 1 versions (the bound)
 * serves every handle; the writer lock is system-wide.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prsched/build.h"
#include "prsched/error.h"
#include "prsched/mpu_model.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "bench.h"

#define PRS_BENCH_NSLOTS 16
#define PRS_BENCH_FIRST 1 /* first dynamic slot */

struct prs_bench_cpu {
	struct prs_cpu cpu;
	struct prs_mpu_model model;
	struct prs_handle *alt;  /* the second thread on this CPU */
	struct prs_handle *last; /* the handle of the last read */
	unsigned toggle;
} __attribute__((aligned(64)));

/* A class set in the pool (publish.h, PRS_VERSION_BYTES): key, pad, pairs. */
struct prs_bench_vset {
	uint32_t key, pad;
	prs_reg_t pair[PRS_BENCH_NSLOTS - PRS_BENCH_FIRST][2];
};

static struct prs_system prs_sys;
static struct prs_cpu_layout prs_layout;
static unsigned char *prs_pool;
static struct prs_bench_cpu *prs_cpus;
static struct prs_handle *prs_handles; /* [nobj] then [nobj] alternates */
static unsigned prs_nobj;
static int prs_use_model, prs_alternate;

static void prs_fill_set(struct prs_set *s, uint64_t ver)
{
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		s->prbar[PRS_BENCH_FIRST + i] = bench_prbar(ver, i);
		s->prlar[PRS_BENCH_FIRST + i] = bench_prlar(ver, i);
	}
}

/* Slot 0: a static region at the top of the 48-bit space, EL1 RW, non-shareable. */
static int prs_layout_setup(void)
{
	const struct prs_range top = { 0xFFFF00000000ull, 0x100000000ull, PRS_EL1_R | PRS_EL1_W, 0,
				       PRS_SH_NONE, 0 };

	return prs_layout_init(&prs_layout, PRS_ARCH_AARCH64, PRS_BENCH_NSLOTS, &top, 1, NULL);
}

static void prs_version_fill(struct prs_version *v, uint64_t ver)
{
	for (unsigned c = 0; c < prs_sys.nclasses; c++) {
		struct prs_set *s = &v->set[c];

		(void)prs_layout_image(&prs_layout, s);
		s->ndyn = BENCH_SLOTS;
		prs_fill_set(s, ver);
		for (unsigned i = 0; i < BENCH_SLOTS; i++)
			s->gap[PRS_BENCH_FIRST + i] = 0; /* below the only static region */
	}
}

static void prs_noreload(void *ctx, uint32_t mask)
{
	(void)ctx;
	(void)mask;
}

static int prs_setup_common(unsigned nobj, unsigned nreaders)
{
	struct prs_system_config cfg = { .ncpus = nreaders, .reload = prs_noreload };
	struct prs_version *v = malloc(sizeof(*v));
	size_t nv = 2u * nobj + nreaders + 1u;
	struct prs_set image;
	int err;

	cfg.pool_bytes = PRS_POOL_BYTES(nv, 1u, PRS_BENCH_NSLOTS - PRS_BENCH_FIRST);
	prs_pool = aligned_alloc(PRS_CACHE_LINE, cfg.pool_bytes);
	cfg.pool = prs_pool;
	prs_cpus = aligned_alloc(64, sizeof(*prs_cpus) * nreaders);
	prs_handles = aligned_alloc(64, sizeof(*prs_handles) * 2 * nobj);
	if (v == NULL || prs_pool == NULL || prs_cpus == NULL || prs_handles == NULL ||
	    nreaders > PRS_MAX_CPUS)
		goto fail;
	prs_nobj = nobj;
	err = prs_layout_setup();
	if (err == PRS_OK)
		err = prs_system_init(&prs_sys, &cfg);
	if (err == PRS_OK)
		err = prs_layout_image(&prs_layout, &image);
	for (unsigned k = 0; k < nreaders && err == PRS_OK; k++) {
		memset(&prs_cpus[k], 0, sizeof(prs_cpus[k]));
		err = prs_cpu_init(&prs_sys, &prs_cpus[k].cpu, k, &prs_layout);
		prs_mpu_model_init(&prs_cpus[k].model, &image);
		prs_cpus[k].cpu.hw = prs_use_model ? &prs_cpus[k].model : NULL;
		prs_cpus[k].alt = &prs_handles[nobj + k];
		prs_cpus[k].last = &prs_handles[k];
	}
	for (unsigned i = 0; i < nobj && err == PRS_OK; i++) {
		prs_version_fill(v, 1);
		err = prs_handle_init(&prs_handles[i], &prs_sys, v);
		prs_version_fill(v, BENCH_ALT_VER);
		if (err == PRS_OK)
			err = prs_handle_init(&prs_handles[nobj + i], &prs_sys, v);
	}
	if (err != PRS_OK) {
		fprintf(stderr, "prsched set-up: %s\n", prs_errname(err));
		goto fail;
	}
	free(v);
	return 0;
fail:
	free(v);
	free(prs_pool);
	free(prs_cpus);
	free(prs_handles);
	prs_pool = NULL;
	prs_cpus = NULL;
	prs_handles = NULL;
	return -1;
}

static int prs_setup_core(unsigned nobj, unsigned nreaders)
{
	prs_use_model = 0;
	prs_alternate = 1;
	return prs_setup_common(nobj, nreaders);
}

static int prs_setup_model(unsigned nobj, unsigned nreaders)
{
	prs_use_model = 1;
	prs_alternate = 1;
	return prs_setup_common(nobj, nreaders);
}

static int prs_setup_same(unsigned nobj, unsigned nreaders)
{
	prs_use_model = 1;
	prs_alternate = 0;
	return prs_setup_common(nobj, nreaders);
}

static void prs_teardown(void)
{
	for (unsigned k = 0; k < prs_sys.cfg.ncpus; k++) {
		if (prs_cpus[k].model.violations) /* cannot happen with check off */
			fprintf(stderr, "prsched: MPU model: %s\n", prs_cpus[k].model.first_violation);
	}
	free(prs_pool);
	free(prs_cpus);
	free(prs_handles);
	prs_pool = NULL;
	prs_cpus = NULL;
	prs_handles = NULL;
}

static void prs_nop(unsigned t)
{
	(void)t;
}

static void prs_read(unsigned r, struct bench_regs *mpu)
{
	struct prs_bench_cpu *c = &prs_cpus[r];

	(void)mpu; /* the MPU array is the model, or the loaded version: prs_collect() */
	c->last = prs_alternate && (c->toggle ^= 1u) == 0 ? c->alt : &prs_handles[r];
	prs_switch(&c->cpu, c->last);
}

/*
 * Untimed, no MPU backend: the version this CPU recorded as loaded, read
 * from the pool while it is still the handle's current one (a current
 * version is never rewritten; the word is read again after the copy). If
 * the handle was republished since the switch, switch again first.
 */
static void prs_collect_loaded(struct prs_bench_cpu *c, struct bench_regs *mpu)
{
	for (;;) {
		uint32_t w = atomic_load_explicit(&c->last->word, memory_order_seq_cst);
		const struct prs_bench_vset *vs;

		if (atomic_load_explicit(&c->cpu.rd.loaded_h, memory_order_relaxed) != c->last ||
		    atomic_load_explicit(&c->cpu.rd.loaded_w, memory_order_relaxed) != w) {
			prs_switch(&c->cpu, c->last);
			continue;
		}
		vs = (const void *)(prs_sys.pool + (size_t)prs_word_index(w) * prs_sys.vstride +
				    prs_sys.cls[0].off);
		for (unsigned i = 0; i < BENCH_SLOTS; i++) {
			mpu->prbar[i] = vs->pair[i][0];
			mpu->prlar[i] = vs->pair[i][1];
		}
		if (atomic_load_explicit(&c->last->word, memory_order_seq_cst) == w)
			return;
	}
}

/* Untimed: what the last switch left in this CPU's MPU (model) or shadow. */
static void prs_collect(unsigned r, struct bench_regs *mpu)
{
	struct prs_bench_cpu *c = &prs_cpus[r];

	if (!prs_use_model) {
		prs_collect_loaded(c, mpu);
		return;
	}
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		unsigned n = PRS_BENCH_FIRST + i;

		mpu->prbar[i] = c->model.prbar[n];
		mpu->prlar[i] = c->model.prlar[n];
	}
}

static void prs_publish(unsigned w, unsigned obj, uint64_t ver)
{
	struct prs_handle *h = &prs_handles[obj];
	struct prs_version *v = prs_publish_begin(h);
	int err;

	(void)w;
	prs_fill_set(prs_version_set(v, &prs_sys, obj), ver); /* reader obj runs on CPU obj */
	err = prs_publish_commit(h, NULL);
	if (err != PRS_OK) {
		fprintf(stderr, "prs_publish_commit: %s\n", prs_errname(err));
		abort();
	}
}

static const char *prs_note(void)
{
	return "prsched-core: prs_switch, no MPU backend (no register written); "
	       "prsched: same switch through the host MPU model (check off); prsched-core and "
	       "prsched alternate between two handles so every switch copies 8 slots; "
	       "prsched-same: same handle every time (fast path unless republished)";
}

#define PRS_IMPL(var, nm, setupfn, notefn)                                             \
	const struct bench_impl var = {                                                  \
		.name = nm, .setup = setupfn, .teardown = prs_teardown,                  \
		.reader_begin = prs_nop, .reader_end = prs_nop, .writer_begin = prs_nop, \
		.writer_end = prs_nop, .read = prs_read, .collect = prs_collect,         \
		.publish = prs_publish, .note = notefn,                                  \
	}

PRS_IMPL(bench_impl_prsched_core, "prsched-core", prs_setup_core, prs_note);
PRS_IMPL(bench_impl_prsched, "prsched", prs_setup_model, NULL);
PRS_IMPL(bench_impl_prsched_same, "prsched-same", prs_setup_same, NULL);
