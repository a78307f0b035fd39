/* SPDX-License-Identifier: MIT */
/*
 * A kernel-side user of the library: links and calls the API the way a
 * kernel sets it up -- a layout, a system with its version pool and reload
 * callback, a CPU, a thread's first version, one publish -- using only the
 * installed headers, and the sets prs-gen made at build time. No switch: on
 * the host that needs the MPU model, which is not installed. It prints the
 * layout of the structures whose shape depends on the defines the build
 * passes (PRS_MAX_*, PRS_CACHE_LINE): check-install.cmake compares that
 * line between the CMake-package build and the pkg-config build, so a
 * define missing from one of them shows.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "prsched/build.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"
#include "prsched/set.h"
#include "prs_gen.h" /* prs_generate_sets(): sets.txt */

#define NREGIONS 16u
#define NSTATIC 1u
#define NHANDLES 1u

static PRS_POOL_DEFINE(pool, NHANDLES + 1u + 1u, 1u, NREGIONS - NSTATIC);
static struct prs_system sys;
static struct prs_cpu cpu;
static struct prs_cpu_layout layout;
static struct prs_handle h;
static struct prs_version v;
static unsigned reloads;

static void reload(void *ctx, uint32_t mask)
{
	(void)ctx;
	(void)mask;
	reloads++;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "prsched consumer: %s: %s (%s)\n", what, prs_errname(err),
		prs_strerror(err));
	return 1;
}

int main(void)
{
	const struct prs_range kernel = { .base = 0x20000000u, .size = 0x10000u,
					  .perm = PRS_EL1_R | PRS_EL1_W, .memtype = 0,
					  .share = PRS_SH_INNER };
	const struct prs_range page = { .base = 0x30000000u, .size = 0x1000u,
					.perm = PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W,
					.memtype = 0, .share = PRS_SH_INNER };
	struct prs_system_config cfg = { .ncpus = 1, .reload = NULL, .ctx = NULL, .flags = 0,
					  .mair = 0, .pool = pool, .pool_bytes = sizeof(pool) };
	struct prs_rangeset_entry e[1];
	const struct prs_rangeset *layers[1];
	struct prs_rangeset rs;
	struct prs_version *w;
	int err;

	if (strcmp(prs_errname(PRS_E_ALIGN), "PRS_E_ALIGN") != 0)
		return 1;
	/* The reload callback is required. */
	err = prs_system_init(&sys, &cfg);
	if (err != PRS_E_NORELOAD)
		return fail("system without reload callback", err);
	cfg.reload = reload;
	err = prs_layout_init(&layout, PRS_ARCH_AARCH32, NREGIONS, &kernel, NSTATIC, NULL);
	if (err == PRS_OK)
		err = prs_system_init(&sys, &cfg);
	if (err == PRS_OK)
		err = prs_cpu_init(&sys, &cpu, 0, &layout);
	if (err != PRS_OK)
		return fail("set-up", err);
	/* The thread's first version: no dynamic region; then grant it a page. */
	err = prs_rangeset_init(&rs, e, 1, PRS_ARCH_AARCH32);
	layers[0] = &rs;
	if (err == PRS_OK)
		err = prs_set_build(&layout, layers, 1, prs_version_set(&v, &sys, 0));
	if (err == PRS_OK)
		err = prs_handle_init(&h, &sys, &v);
	if (err == PRS_OK)
		err = prs_rangeset_add(&rs, &page);
	if (err != PRS_OK)
		return fail("first version", err);
	w = prs_publish_begin(&h);
	err = prs_set_build(&layout, layers, 1, prs_version_set(w, &sys, 0));
	if (err != PRS_OK) {
		prs_publish_abort(&h);
		return fail("build", err);
	}
	err = prs_publish_commit(&h, NULL);
	if (err != PRS_OK)
		return fail("publish", err);
	if (prs_word_epoch(atomic_load(&h.word)) != 2u ||
	    prs_system_versions(&sys) < NHANDLES + 1u + 1u)
		return 1;
	if (prs_gen_sets[PRS_GEN_THREAD_worker][PRS_GEN_CPU_k0]->ndyn != 1u)
		return 1;
	printf("prsched consumer: published epoch 2 in a pool of %u versions; %s; "
	       "set holds %d regions\n",
	       (unsigned)prs_system_versions(&sys), prs_strerror(PRS_E_NOSPACE), PRS_MAX_REGIONS);
	printf("layout: prs_cpu %zu state@%zu prs_set %zu prs_handle %zu prs_system %zu\n",
	       sizeof(struct prs_cpu), offsetof(struct prs_cpu, state), sizeof(struct prs_set),
	       sizeof(struct prs_handle), sizeof(struct prs_system));
	return 0;
}
