/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state and the two entry points the kernel calls with IRQs off:
 * prs_switch() from its context switch, prs_reload() from the IPI handler
 * its reload callback triggers. Neither waits, locks, allocates or loops
 * (invariant 2; checked on the r52 build by tests/sync/check_switch_asm.py).
 *
 * Placement (invariant 8): see prsched/publish.h. Each struct prs_cpu must
 * be readable by every CPU (writers scan its first line) and lie inside a
 * static region of its own CPU.
 */
#ifndef PRSCHED_PERCPU_H
#define PRSCHED_PERCPU_H

#include <stdatomic.h>
#include <stdint.h>
#include "prsched/config.h"
#include "prsched/publish.h"
#include "prsched/set.h"

/* prs_system_config.flags */
#define PRS_SYS_CHECK_PLACEMENT 1u /* init checks that switch-path state lies in static regions */

/* Counters, each written only by its CPU (plain load + store), readable by anyone. */
struct prs_cpu_stats {
	_Atomic uint32_t fast;       /* switches that found the loaded version current */
	_Atomic uint32_t slow;       /* switches that copied a version */
	_Atomic uint32_t reloads;    /* prs_reload calls */
	_Atomic uint32_t reload_copies; /* prs_reload calls that copied a version */
	_Atomic uint32_t mpu_writes; /* PRBAR/PRLAR writes */
	_Atomic uint32_t barriers;   /* DSB + ISB issued by the switch path */
};

#if defined(PRS_BACKEND_HOST)
/* Host-only test hooks: points inside the switch where a test may interleave a writer. */
enum prs_hook_point {
	PRS_HOOK_READ_W1,   /* fast path missed, nothing announced yet */
	PRS_HOOK_ANNOUNCED, /* LOWER(w1) and ann_h stored, w2 not read yet */
	PRS_HOOK_READ_W2,   /* EXACT(w2) stored, copy not started */
	PRS_HOOK_COPIED,    /* MPU written, loaded_* not stored yet */
	PRS_HOOK_DONE       /* loaded_* stored, ann_h not cleared yet */
};
/* Host-only fault injection, to show the model catches a wrong write order. */
#define PRS_TEST_SKIP_CROSS_GAP 1u /* skip step 2 (the cross-gap phase) */
#define PRS_TEST_BAR_FIRST 2u      /* always PRBAR then PRLAR, no step 2 */
#define PRS_TEST_DISABLE_FIRST 4u  /* step 2 as PRLAR = 0 + PRBAR in one batch */
#endif

struct prs_cpu {
	/*
	 * The only words other CPUs read (writers' scans, ticket polls); written
	 * only by this CPU. Orderings: percpu/src/switch.c.
	 */
	_Alignas(PRS_CACHE_LINE) _Atomic(struct prs_handle *) ann_h; /* being copied, or NULL */
	_Atomic uint32_t ann_w;                 /* LOWER(w1) or EXACT | w2 */
	_Atomic(struct prs_handle *) loaded_h;  /* what this CPU's MPU holds */
	_Atomic uint32_t loaded_w;

	/* Private to this CPU's switch path from here on. */
	_Alignas(PRS_CACHE_LINE) uint32_t id;
	uint32_t dyn_mask; /* bits [nstatic, nslots): the slots the switch may write */
	uint8_t nslots, nstatic, arch;
	uint8_t hi; /* slots >= hi are disabled in the MPU (and the shadow) */
	/*
	 * Gap summary of the shadow: every slot in [nstatic, gap_hi) holds in
	 * PRBAR (enabled, or as a disabled slot's residue) a base in gap
	 * shadow_gap, i.e. image.gap[] says shadow_gap there. gap_hi ==
	 * nstatic: no summary. Kept as gap_key = gap_hi | shadow_gap << 8, the
	 * form the switch compares with a version's dyn_key.
	 */
	uint16_t gap_key;
	/*
	 * The shadow: what each MPU slot holds, as last written, [n][0] PRBAR and
	 * [n][1] PRLAR side by side so the switch loads a slot's pair at once
	 * (LDRD on AArch32; early in the struct to stay within its offset
	 * range). Read it as a set with prs_cpu_shadow().
	 */
	_Alignas(2 * sizeof(prs_reg_t)) prs_reg_t mpu[PRS_MAX_REGIONS][2];
	struct prs_cpu_stats stats;
	void *hw; /* host: struct prs_mpu_model *; target: unused */
#if defined(PRS_BACKEND_HOST)
	void (*hook)(struct prs_cpu *c, enum prs_hook_point p, void *arg);
	void *hook_arg;
	unsigned test_flags;
#endif
	/*
	 * The image prs_cpu_init took: its static slots, nslots, nstatic, arch.
	 * gap[] is the shadow's: the gap of the PRBAR value each slot holds.
	 * Dynamic prbar/prlar here are NOT kept current (mpu[] is).
	 */
	struct prs_set image;
};

struct prs_system_config {
	unsigned ncpus;
	/* Make each CPU in cpu_mask call prs_reload soon (IPI). The IPI must be
	 * sent after the publishing store is visible (DSB before the SGI). */
	void (*reload)(void *ctx, uint32_t cpu_mask);
	void *ctx;
	unsigned flags;
	/* MAIR (AArch32: MAIR0 | MAIR1 << 32): the placement check accepts a
	 * non-shareable region only if its AttrIndx names a non-cacheable type. */
	uint64_t mair;
};

struct prs_system {
	struct prs_cpu *cpu[PRS_MAX_CPUS];
	struct prs_system_config cfg;
};

/* PRS_E_NULL, PRS_E_ARG (ncpus 0 or > PRS_MAX_CPUS, unknown flags). */
int prs_system_init(struct prs_system *sys, const struct prs_system_config *cfg);

/*
 * Add CPU `id` with the image its MPU holds now (nslots and nstatic from the
 * image; dynamic slots may be enabled or not). The shadow starts as the
 * image; enabled dynamic slots get their gap, disabled ones 0xFF (their
 * PRBAR residue is unknown). Errors:
 * PRS_E_NULL, PRS_E_ARG (id, an image with nstatic > nslots, nslots >
 * PRS_MAX_REGIONS, a CPU added twice), PRS_E_PLACEMENT (with
 * PRS_SYS_CHECK_PLACEMENT: *c is not inside an EL1-writable static region
 * of the image that is shareable or non-cacheable).
 */
int prs_cpu_init(struct prs_system *sys, struct prs_cpu *c, unsigned id,
		 const struct prs_set *static_image);

/*
 * Context switch to the thread owning h, on the CPU owning c, IRQs off.
 * Copies h's published set for this CPU into the MPU unless it is loaded.
 */
void prs_switch(struct prs_cpu *c, struct prs_handle *h);

/* IPI handler side of a reload request: re-copy the loaded handle if republished. */
void prs_reload(struct prs_cpu *c);

/* One slot of a set, decoded for the init-time checks (not the switch path). */
struct prs_slot_info {
	uint64_t base, limit; /* limit inclusive */
	unsigned el1_ro;      /* AP[2]: read-only at EL1 */
	unsigned sh;          /* PRBAR.SH */
	unsigned attr;        /* PRLAR.AttrIndx */
};

/* Decode slot `slot` of s (AArch32 or AArch64 format); non-zero if enabled. */
int prs_slot_decode(const struct prs_set *s, unsigned slot, struct prs_slot_info *out);

/*
 * PRS_OK if [p, p + n) lies inside one enabled static region of `image`
 * (slots [0, nstatic)) that is EL1-writable when need_write, and Shareable
 * or, per sys->cfg.mair, non-cacheable; else PRS_E_PLACEMENT.
 */
int prs_static_covers(const struct prs_system *sys, const struct prs_set *image,
		      const void *p, uint64_t n, int need_write);

/*
 * What c's MPU holds, as the switch path last wrote it (its shadow), as a
 * set: prbar/prlar of every slot, gap[] of each PRBAR value, nslots,
 * nstatic, arch; ndyn = enabled slots above nstatic. Only meaningful while
 * c's CPU is not switching (tests, diagnostics).
 */
void prs_cpu_shadow(const struct prs_cpu *c, struct prs_set *out);

/* Switches, fast + slow, as a convenience. */
uint32_t prs_cpu_switches(const struct prs_cpu *c);

#endif
