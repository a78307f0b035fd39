/* SPDX-License-Identifier: MIT */
/*
 * Host publication benchmark: the interface every implementation under test
 * provides, and the version encoding the harness checks.
 *
 * Model: reader r is "CPU r" switching to "its thread" r, which owns one
 * object (for prsched: one handle). A reader operation acquires the object's
 * current version, copies its 8 slots (16 register values) into the
 * reader's own MPU array and announces it is done. A writer operation fills
 * 8 slots of a new version of one object, publishes it and reclaims the
 * version it replaced (or, for the CAS-flag baseline, rewrites in place).
 * Every object has exactly one writer at a time (writer w owns objects
 * w, w+W, w+2W, ...), so single-writer publication APIs are enough.
 */
#ifndef BENCH_HOST_H
#define BENCH_HOST_H

#include <stdint.h>

#define BENCH_SLOTS 8
#define BENCH_MAX_THREADS 16

/* What a reader copies: the PRBAR/PRLAR values of 8 dynamic slots. */
struct bench_regs {
	uint64_t prbar[BENCH_SLOTS];
	uint64_t prlar[BENCH_SLOTS];
};

/*
 * Version v, slot i: PRBAR = v<<12 | i<<6, PRLAR = v<<12 | i<<6 | EN. A reader
 * that copied a torn or half-written version holds values whose version
 * fields (or slot fields) disagree.
 */
static inline uint64_t bench_prbar(uint64_t ver, unsigned slot)
{
	return (ver << 12) | ((uint64_t)slot << 6);
}

static inline uint64_t bench_prlar(uint64_t ver, unsigned slot)
{
	return (ver << 12) | ((uint64_t)slot << 6) | 1u;
}

/*
 * A version no writer ever reaches: prsched's second handle per CPU (see
 * impl_prs.c) holds it, so the monotonic-version check skips it.
 */
#define BENCH_ALT_VER (1ull << 34)

/* Writes version `ver` into all 8 slots of `dst`. */
void bench_fill(struct bench_regs *dst, uint64_t ver);

/* Copies 8 slots; the baselines' copy (prsched uses its own). */
void bench_copy(struct bench_regs *dst, const struct bench_regs *src);

/*
 * 0 when all 16 values of `r` carry the same version and their own slot
 * number (the version is stored in *ver), -1 when they do not (torn copy).
 */
int bench_check(const struct bench_regs *r, uint64_t *ver);

struct bench_impl {
	const char *name;
	/* Creates `nobj` objects, each holding version 1. 0 or -1. */
	int (*setup)(unsigned nobj, unsigned nreaders);
	void (*teardown)(void);
	/* Per-thread registration, outside the timed region. */
	void (*reader_begin)(unsigned r);
	void (*reader_end)(unsigned r);
	void (*writer_begin)(unsigned w);
	void (*writer_end)(unsigned w);
	/* Timed: acquire object r's current version, copy into *mpu, release. */
	void (*read)(unsigned r, struct bench_regs *mpu);
	/*
	 * Optional, untimed: for implementations whose "MPU array" is their own
	 * (prsched: the register shadow or the host MPU model), fetch what the
	 * last read() left there. Batches then check only their last copy.
	 */
	void (*collect)(unsigned r, struct bench_regs *mpu);
	/* Timed: publish version `ver` of object `obj`, reclaim the old one. */
	void (*publish)(unsigned w, unsigned obj, uint64_t ver);
	/* Optional one-line note printed once (e.g. which membarrier mode). */
	const char *(*note)(void);
};

extern const struct bench_impl bench_impl_prsched;
extern const struct bench_impl bench_impl_prsched_core;
extern const struct bench_impl bench_impl_prsched_same;
extern const struct bench_impl bench_impl_qsbr;
extern const struct bench_impl bench_impl_memb;
extern const struct bench_impl bench_impl_ck;
extern const struct bench_impl bench_impl_flag;

/* CPU relax for spin loops. */
static inline void bench_pause(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
