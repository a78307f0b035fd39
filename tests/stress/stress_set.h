/* SPDX-License-Identifier: MIT */
/*
 * Self-describing region sets for the stress test. Every dynamic slot of
 * every published set carries the whole (thread, seq) of its version in its
 * own base and limit bits, plus the CPU it was built for and its own slot
 * number in the attribute bits, so a copy that mixes two versions, takes a
 * slot from another CPU's set or from a buffer being poisoned is visible in
 * the registers alone.
 *
 * Static layout (AArch32 encoding, 16 slots like QEMU's Cortex-R52):
 *   S0 0x10000000..0x1000FFFF  S1 0x20000000..0x2000FFFF
 *   S2 0x30000000..0x3000FFFF  S3 0x40000000..0x4000FFFF
 * Dynamic slot i (i = 0..11) of a version lies in window i of gap A
 * (0x20100000 + i * 16 MiB, between S1 and S2) or of gap B (0x30100000 +
 * i * 16 MiB, between S2 and S3). Inside its window:
 *   base  = window + (seq & 0x1FFFF) * 64
 *   limit = window + (0x20000 + (thread << 12 | seq >> 17)) * 64 + 63
 *   PRBAR AP = cpu & 3, XN = cpu >> 2; PRLAR AttrIndx = (seq + i) & 7.
 * So slots are sorted, non-overlapping, never touch a static region, and
 * every base lies in the gap prs_set.gap[] names. How many slots a version
 * has (1..12) and which gap each lies in (all A, all B, or A then B: the
 * switch's cross-gap path) are a hash of (seed, thread, seq): the inputs
 * are reproducible from the seed.
 *
 * Poison: what a writer stores into a buffer before writing the new
 * version (every dynamic slot enabled at POISON_BASE, in the gap above S3),
 * so a copy from a buffer being rewritten shows up as poison or as a torn
 * set.
 */
#ifndef STRESS_SET_H
#define STRESS_SET_H

#include <stddef.h>
#include <stdint.h>
#include "prsched/publish.h"
#include "prsched/set.h"

#define ST_NSLOTS 16u
#define ST_NSTATIC 4u
#define ST_NDYN (ST_NSLOTS - ST_NSTATIC)
#define ST_MAX_THREADS 32u             /* 5 thread bits in the limit */
#define ST_SEQ_LIMIT (1u << 29)        /* 17 base bits + 12 limit bits */
#define ST_POISON_BASE 0xDEADBEC0u
#define ST_POISON_LIMIT 0xDEADBFC0u

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
	unsigned bad_slot; /* first slot that failed (ST_STATIC, ST_POISON, ST_TORN) */
};

/* The statics-only image every CPU starts with. */
void st_image(struct prs_set *s);

/* Slots the version (thread, seq) has. */
unsigned st_ndyn(uint64_t seed, unsigned thread, uint32_t seq);

/* CPU cpu's set of version (thread, seq). */
void st_encode(struct prs_set *s, uint64_t seed, unsigned thread, uint32_t seq, unsigned cpu);

/* The whole version for CPUs [0, ncpus). */
void st_encode_version(struct prs_version *v, unsigned ncpus, uint64_t seed, unsigned thread,
		       uint32_t seq);

/* Fill every CPU's set of v with poison (structure fields stay in range). */
void st_poison_version(struct prs_version *v, unsigned ncpus);

/*
 * Check the registers in force on CPU cpu: exactly one published-looking
 * version of this encoding, built for this CPU. Fills *seen (thread/seq
 * from slot nstatic) and, on failure, a description of every slot in why.
 */
enum st_verdict st_check_mpu(const prs_reg_t *prbar, const prs_reg_t *prlar, uint64_t seed,
			     unsigned cpu, struct st_seen *seen, char *why, size_t n);

const char *st_verdict_name(enum st_verdict v);

#endif
