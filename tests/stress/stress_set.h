/* SPDX-License-Identifier: MIT */
/*
 * Self-describing region sets for the stress test. Every dynamic slot of
 * every published set carries the whole (thread, seq) of its version in its
 * own base and limit bits, plus the layout class it was built for and its
 * own slot number in the attribute bits, so a copy that mixes two versions,
 * takes a slot from another class's set or from a version being poisoned
 * is visible in the registers alone.
 *
 * Static layout (AArch32 encoding, 16 slots like QEMU's Cortex-R52; the
 * image is prs_layout_image's, st_init):
 *   S0 0x10000000..0x1000FFFF  S1 0x20000000..0x2000FFFF
 *   S2 0x30000000..0x3000FFFF  S3 0x40000000..0x4000FFFF
 * The home gap (prs_layout_set_home) is gap A, between S1 and S2.
 * Region j (j = 0..ST_CAP_DYN-1) of a version lies in window j of gap A
 * (0x20100000 + j * 8 MiB) or of gap B (0x30100000 + j * 8 MiB, between
 * S2 and S3); it is written to dynamic slot j (slot ST_NSTATIC + j). Inside
 * its window:
 *   base  = window + (seq & 0xFFFF) * 64
 *   limit = window + (0x10000 + (thread << 11 | seq >> 16)) * 64 + 63
 *   PRBAR AP = class & 3, XN = class >> 2; PRLAR AttrIndx = (seq + j) & 7.
 * So regions are sorted, non-overlapping, never touch a static region, and
 * every base lies in the gap prs_set.gap[] names. The middle of a window
 * (window + 4 MiB) lies in region j of every version that has one there;
 * the granule at window + (s & 0xFFFF) * 64 only in versions up to s (the
 * base moves up with seq: every new version revokes the lowest granule of
 * each region the previous one had). How many regions a version has and
 * which gap each lies in (all A: the switch's blind copy; all B, or A then
 * B: a region away from home, the ordered copy) are a hash of (seed,
 * thread, seq): the inputs are reproducible from the seed.
 *
 * Capacity (st_configure): a version has 1..ST_NDYN regions (sets that fit
 * the 12 dynamic slots), or, oversized, 1..ST_CAP_DYN (three in four more
 * than 12: the switch loads regions 0..11, prs_fault the others). A CPU's
 * MPU then holds some regions of one version in any slots (fault-ins
 * replace them); st_check_mpu decodes each slot on its own.
 *
 * Poison: what the writers store into every version of the pool that no
 * CPU may copy before the library reuses one (every dynamic slot enabled at
 * POISON_BASE, in the gap above S3), so a copy from a version being
 * rewritten shows up as poison or as a torn set.
 */
#ifndef STRESS_SET_H
#define STRESS_SET_H

#include <stddef.h>
#include <stdint.h>
#include "prsched/build.h"
#include "prsched/publish.h"
#include "prsched/set.h"

#define ST_NSLOTS 16u
#define ST_NSTATIC 4u
#define ST_NDYN (ST_NSLOTS - ST_NSTATIC) /* the MPU's dynamic slots */
#define ST_CAP_DYN (2u * ST_NDYN)        /* regions of an oversized set, at most */
#define ST_MAX_CLASSES 8u              /* 3 class bits (AP, XN) in PRBAR */
#define ST_MAX_THREADS 32u             /* 5 thread bits in the limit */
#define ST_SEQ_LIMIT (1u << 27)        /* 16 base bits + 11 limit bits */
#define ST_POISON_BASE 0xDEADBEC0u
#define ST_POISON_LIMIT 0xDEADBFC0u

/*
 * One class set as it lies in the pool, for the writers' poison and the
 * deliberately broken in-place writers: the layout publish.h sizes
 * (PRS_VERSION_BYTES: 8 bytes, then PRBAR/PRLAR pairs of the capacity's
 * dynamic slots in slot order; key = min(end, nslots) | end << 8 with
 * end = nstatic + ndyn, plus ST_KEY_AWAY when a region lies outside the
 * home gap; disabled slots (the class's residue, 0)) and the library's
 * sync/src/version.h defines. check_pool (stress.c) verifies this view
 * against versions the library wrote before the run relies on it.
 */
#define ST_KEY_AWAY 0x80000000u
struct st_vset {
	uint32_t key;
	uint32_t pad;
	prs_reg_t pair[][2]; /* st_cap() pairs */
};

/* What a check found in an MPU. */
enum st_verdict {
	ST_OK = 0,
	ST_STATIC,  /* a static slot differs from the image */
	ST_EMPTY,   /* no enabled dynamic slot at nstatic (every version has one) */
	ST_POISON,  /* some slot holds the poison pattern */
	ST_TORN     /* slots disagree with the version slot nstatic names */
};

struct st_seen {
	unsigned thread;
	uint32_t seq;
	unsigned ndyn;     /* regions of that version (the set's, resident or not) */
	unsigned resident; /* enabled dynamic slots: min(ndyn, ST_NDYN) */
	int away;          /* the version has a region outside the home gap */
	unsigned bad_slot; /* first slot that failed (ST_STATIC, ST_POISON, ST_TORN) */
};

/*
 * Regions a version may have: ST_NDYN (sets fit the MPU, the default) or
 * ST_CAP_DYN (oversized). Call once, before any other function here.
 */
void st_configure(unsigned cap_dyn);
unsigned st_cap(void);

/*
 * A CPU's layout (statics, home gap A) with dynamic base `base` (distinct
 * per class), and capacity ST_NSTATIC + st_cap().
 */
int st_layout(struct prs_cpu_layout *l, const struct prs_rangeset *base);

/* Record the static image of the layout (every class has the same statics). */
int st_init(const struct prs_cpu_layout *l);

/* Slots the version (thread, seq) has; whether one lies outside the home gap. */
unsigned st_ndyn(uint64_t seed, unsigned thread, uint32_t seq);
int st_away(uint64_t seed, unsigned thread, uint32_t seq);

/* Class cls's set of version (thread, seq). */
void st_encode(struct prs_set *s, uint64_t seed, unsigned thread, uint32_t seq, unsigned cls);

/* The whole staged version: the set of every class (class of CPU k: sys->cls_of[k]). */
void st_encode_version(struct prs_version *v, const struct prs_system *sys, uint64_t seed,
		       unsigned thread, uint32_t seq);

/* Fill every class's staged set of v with poison (structure fields stay in range). */
void st_poison_version(struct prs_version *v, const struct prs_system *sys);

/* Non-zero if every class's staged set of v is exactly version (thread, seq). */
int st_version_is(const struct prs_version *v, const struct prs_system *sys, uint64_t seed,
		  unsigned thread, uint32_t seq);

/* Class cls's set of pool version idx (caller storage, the layout above). */
struct st_vset *st_vset_of(const struct prs_system *sys, uint32_t idx, unsigned cls);

/* Poison one pool class set: every pair poison, key = every slot, away. */
void st_vset_poison(struct st_vset *vs);

/*
 * Write version (thread, seq) of class cls into a pool class set, pair by
 * pair, the key last; yield_at < st_cap() calls sched_yield() after that pair.
 */
void st_vset_write(struct st_vset *vs, const struct prs_system *sys, unsigned cls,
		   uint64_t seed, unsigned thread, uint32_t seq, unsigned yield_at);

/* Non-zero if the pool class set holds exactly version (thread, seq) of class cls. */
int st_vset_is(const struct st_vset *vs, const struct prs_system *sys, unsigned cls,
	       uint64_t seed, unsigned thread, uint32_t seq);

/*
 * Check the registers in force on a CPU of class cls: exactly one
 * published-looking version of this encoding, built for this class, its
 * first min(ndyn, ST_NDYN) dynamic slots enabled and the rest disabled.
 * With any_slot 0 (no fault-in since the last copy) slot nstatic + j must
 * hold region j; with any_slot 1 each slot may hold any region of the
 * version, each at most once. Fills *seen (thread/seq of the first
 * dynamic slot) and, on failure, a description of every slot in why.
 */
enum st_verdict st_check_mpu(const prs_reg_t *prbar, const prs_reg_t *prlar, uint64_t seed,
			     unsigned cls, int any_slot, struct st_seen *seen, char *why,
			     size_t n);

/* The fault-test addresses: window j of gap A (gap_b 0) or B, plus off bytes. */
uint32_t st_window_addr(int gap_b, unsigned j, uint32_t off);
#define ST_WIN_MID 0x400000u /* every version's region j covers window + this */
/* Offset of the lowest granule of version seq's regions in their windows. */
uint32_t st_base_off(uint32_t seq);
/* Region j's window (in its gap) of version (thread, seq) plus off, or 0 if it has no region j. */
uint32_t st_region_addr(uint64_t seed, unsigned thread, uint32_t seq, unsigned j, uint32_t off);
/* The access (PRS_EL1_R ... PRS_EXEC) every region of class cls grants. */
unsigned st_perm(unsigned cls);

/*
 * The region of version (thread, seq) of class cls that covers addr and
 * grants every bit of access (PRS_EL1_R ... PRS_EXEC): its index j, or -1.
 * From this file's encoding and the architecture's AP/XN table alone, not
 * the library's decoder.
 */
int st_grant(uint64_t seed, unsigned thread, uint32_t seq, unsigned cls, uint32_t addr,
	     unsigned access);

/* The enabled dynamic slot of (prbar, prlar) covering addr, or -1 (-2 if several). */
int st_mpu_slot_at(const prs_reg_t *prbar, const prs_reg_t *prlar, uint32_t addr);

const char *st_verdict_name(enum st_verdict v);

#endif
