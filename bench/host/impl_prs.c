/* SPDX-License-Identifier: MIT */
/*
 * prsched under the benchmark, three ways (all through the public API):
 *
 *   prsched-core  prs_switch() with no MPU backend (cpu->hw == NULL): the
 *                 switch reads the handle's word, announces the buffer,
 *                 diffs and copies the 8 slots into the CPU's register
 *                 shadow, records the loaded version, clears the announce.
 *                 The shadow is the per-reader "MPU array". This is the
 *                 acquire + copy core, comparable with the baselines.
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
 * gap 0), AArch64 format (64-bit host registers). No reload callback: a
 * reader picks up a new version at its next switch. The writer fills only
 * its reader's CPU's set; the other CPUs' sets of each pool buffer were
 * filled with a valid version once at setup, so every commit passes
 * prs_version_check (which runs, over all CPUs' sets, inside the timed
 * publish). Reclaim is the pool scan inside prs_publish_begin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	struct prs_handle *alt; /* the second thread on this CPU */
	unsigned toggle;
} __attribute__((aligned(64)));

static struct prs_system prs_sys;
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

static void prs_static_image(struct prs_set *s)
{
	memset(s, 0, sizeof(*s));
	s->nslots = PRS_BENCH_NSLOTS;
	s->nstatic = PRS_BENCH_FIRST;
	s->arch = PRS_ARCH_AARCH64;
	s->prbar[0] = 0xFFFF00000000ull;          /* EL1 RW, non-shareable */
	s->prlar[0] = 0xFFFFFFFFFFC0ull | 1u;     /* AttrIndx 0, enabled */
}

static void prs_version_fill(struct prs_version *v, unsigned ncpus, uint64_t ver)
{
	memset(v, 0, sizeof(*v));
	for (unsigned k = 0; k < ncpus; k++) {
		struct prs_set *s = prs_version_set(v, k);

		prs_static_image(s);
		s->ndyn = BENCH_SLOTS;
		prs_fill_set(s, ver); /* gap[] stays 0: below the only static region */
	}
}

static int prs_handle_setup(struct prs_handle *h, const struct prs_version *v)
{
	int err = prs_handle_init(h, &prs_sys, v);

	if (err != PRS_OK) {
		fprintf(stderr, "prs_handle_init: %s\n", prs_errname(err));
		return -1;
	}
	/* Benchmark set-up: every pool buffer starts as a valid version (see top). */
	for (unsigned b = 1; b < PRS_POOL; b++)
		h->buf[b] = *v;
	return 0;
}

static int prs_setup_common(unsigned nobj, unsigned nreaders)
{
	struct prs_system_config cfg = { .ncpus = nreaders };
	struct prs_version *v = malloc(sizeof(*v));
	struct prs_set image;
	int err;

	prs_cpus = aligned_alloc(64, sizeof(*prs_cpus) * nreaders);
	prs_handles = aligned_alloc(64, sizeof(*prs_handles) * 2 * nobj);
	if (v == NULL || prs_cpus == NULL || prs_handles == NULL || nreaders > PRS_MAX_CPUS)
		goto fail;
	prs_nobj = nobj;
	err = prs_system_init(&prs_sys, &cfg);
	prs_static_image(&image);
	for (unsigned k = 0; k < nreaders && err == PRS_OK; k++) {
		memset(&prs_cpus[k], 0, sizeof(prs_cpus[k]));
		err = prs_cpu_init(&prs_sys, &prs_cpus[k].cpu, k, &image);
		prs_mpu_model_init(&prs_cpus[k].model, &image);
		prs_cpus[k].cpu.hw = prs_use_model ? &prs_cpus[k].model : NULL;
		prs_cpus[k].alt = &prs_handles[nobj + k];
	}
	if (err != PRS_OK) {
		fprintf(stderr, "prsched set-up: %s\n", prs_errname(err));
		goto fail;
	}
	for (unsigned i = 0; i < nobj; i++) {
		prs_version_fill(v, nreaders, 1);
		if (prs_handle_setup(&prs_handles[i], v) != 0)
			goto fail;
		prs_version_fill(v, nreaders, BENCH_ALT_VER);
		if (prs_handle_setup(&prs_handles[nobj + i], v) != 0)
			goto fail;
	}
	free(v);
	return 0;
fail:
	free(v);
	free(prs_cpus);
	free(prs_handles);
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
	free(prs_cpus);
	free(prs_handles);
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

	(void)mpu; /* the MPU array is the shadow / model: prs_collect() */
	if (prs_alternate && (c->toggle ^= 1u) == 0)
		prs_switch(&c->cpu, c->alt);
	else
		prs_switch(&c->cpu, &prs_handles[r]);
}

/* Untimed: what the last switch left in this CPU's MPU (model) or shadow. */
static void prs_collect(unsigned r, struct bench_regs *mpu)
{
	struct prs_bench_cpu *c = &prs_cpus[r];
	for (unsigned i = 0; i < BENCH_SLOTS; i++) {
		unsigned n = PRS_BENCH_FIRST + i;

		mpu->prbar[i] = prs_use_model ? c->model.prbar[n] : c->cpu.mpu[n][0];
		mpu->prlar[i] = prs_use_model ? c->model.prlar[n] : c->cpu.mpu[n][1];
	}
}

static void prs_publish(unsigned w, unsigned obj, uint64_t ver)
{
	struct prs_handle *h = &prs_handles[obj];
	struct prs_version *v = prs_publish_begin(h);
	int err;

	(void)w;
	prs_fill_set(prs_version_set(v, obj), ver); /* reader obj runs on CPU obj */
	err = prs_publish_commit(h, v, NULL);
	if (err != PRS_OK) {
		fprintf(stderr, "prs_publish_commit: %s\n", prs_errname(err));
		abort();
	}
}

static const char *prs_note(void)
{
	return "prsched-core: prs_switch, no MPU backend (copy into the register shadow); "
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
