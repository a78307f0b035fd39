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
 * Dynamic slot i (i = 0..11) of a version lies in window i of gap A
 * (0x20100000 + i * 16 MiB) or of gap B (0x30100000 + i * 16 MiB, between
 * S2 and S3). Inside its window:
 *   base  = window + (seq & 0x1FFFF) * 64
 *   limit = window + (0x20000 + (thread << 12 | seq >> 17)) * 64 + 63
 *   PRBAR AP = class & 3, XN = class >> 2; PRLAR AttrIndx = (seq + i) & 7.
 * So slots are sorted, non-overlapping, never touch a static region, and
 * every base lies in the gap prs_set.gap[] names. How many slots a version
 * has (1..12) and which gap each lies in (all A: the switch's blind copy;
 * all B, or A then B: a region away from home, the ordered copy) are a hash
 * of (seed, thread, seq): the inputs are reproducible from the seed.
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
#define ST_NDYN (ST_NSLOTS - ST_NSTATIC)
#define ST_MAX_CLASSES 8u              /* 3 class bits (AP, XN) in PRBAR */
#define ST_MAX_THREADS 32u             /* 5 thread bits in the limit */
#define ST_SEQ_LIMIT (1u << 29)        /* 17 base bits + 12 limit bits */
#define ST_POISON_BASE 0xDEADBEC0u
#define ST_POISON_LIMIT 0xDEADBFC0u

/*
 * One class set as it lies in the pool, for the writers' poison and the
 * deliberately broken in-place writers: the layout publish.h sizes
 * (PRS_VERSION_BYTES: 8 bytes, then PRBAR/PRLAR pairs of the dynamic slots
 * in slot order; key = end | end << 8 with end = nstatic + ndyn (the MPU's
 * end and the set's: these sets fit), plus ST_KEY_AWAY when a region lies
 * outside the home gap; disabled slots (the class's residue, 0)) and the
 * library's sync/src/version.h defines. st_vset_check (setup) verifies
 * this view against versions the library wrote before the run relies on it.
 */
#define ST_KEY_AWAY 0x80000000u
struct st_vset {
	uint32_t key;
	uint32_t pad;
	prs_reg_t pair[ST_NDYN][2];
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
	unsigned ndyn;     /* enabled dynamic slots found */
	int away;          /* the version has a region outside the home gap */
	unsigned bad_slot; /* first slot that failed (ST_STATIC, ST_POISON, ST_TORN) */
};

/* A CPU's layout (statics, home gap A) with dynamic base `base` (distinct per class). */
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
 * pair, the key last; yield_at < ST_NDYN calls sched_yield() after that pair.
 */
void st_vset_write(struct st_vset *vs, const struct prs_system *sys, unsigned cls,
		   uint64_t seed, unsigned thread, uint32_t seq, unsigned yield_at);

/* Non-zero if the pool class set holds exactly version (thread, seq) of class cls. */
int st_vset_is(const struct st_vset *vs, const struct prs_system *sys, unsigned cls,
	       uint64_t seed, unsigned thread, uint32_t seq);

/*
 * Check the registers in force on a CPU of class cls: exactly one
 * published-looking version of this encoding, built for this class. Fills
 * *seen (thread/seq from slot nstatic) and, on failure, a description of
 * every slot in why.
 */
enum st_verdict st_check_mpu(const prs_reg_t *prbar, const prs_reg_t *prlar, uint64_t seed,
			     unsigned cls, struct st_seen *seen, char *why, size_t n);

const char *st_verdict_name(enum st_verdict v);

#endif
