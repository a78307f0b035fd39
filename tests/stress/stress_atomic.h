/* SPDX-License-Identifier: MIT */
/*
 * The harness's own shared words (sequence counters, revoke floors, IPI
 * flags, start line, stop flag), behind one small interface so the same
 * stress code builds two ways:
 *   - Concurrency Kit (ck_pr, ck_barrier_centralized) in the plain and ASan
 *     builds;
 *   - C11 <stdatomic.h> and a pthread barrier in the TSan build
 *     (STRESS_C11_ATOMICS): CK's operations are inline asm, which TSan does
 *     not see, so every hand-off through them would look like a race.
 * The library itself always uses C11 atomics; this file is only the test's.
 *
 * Orderings: loads are acquire, stores release, read-modify-writes are full
 * barriers (acq_rel or stronger). Each user says what it pairs with.
 */
#ifndef STRESS_ATOMIC_H
#define STRESS_ATOMIC_H

#include <stdint.h>

#ifndef STRESS_C11_ATOMICS
#define STRESS_C11_ATOMICS 0
#endif

#if STRESS_C11_ATOMICS
#include <pthread.h>
#include <stdatomic.h>

typedef _Atomic uint32_t st_u32;
typedef _Atomic uint64_t st_u64;

static inline uint32_t st_load32(const st_u32 *p)
{
	return atomic_load_explicit(p, memory_order_acquire);
}

static inline void st_store32(st_u32 *p, uint32_t v)
{
	atomic_store_explicit(p, v, memory_order_release);
}

static inline uint64_t st_load64(const st_u64 *p)
{
	return atomic_load_explicit(p, memory_order_acquire);
}

static inline void st_store64(st_u64 *p, uint64_t v)
{
	atomic_store_explicit(p, v, memory_order_release);
}

static inline uint32_t st_xchg32(st_u32 *p, uint32_t v)
{
	return atomic_exchange_explicit(p, v, memory_order_acq_rel);
}

static inline uint32_t st_faa32(st_u32 *p, uint32_t v)
{
	return atomic_fetch_add_explicit(p, v, memory_order_acq_rel);
}

/* Non-zero if *p was `old` and is now `v`. */
static inline int st_cas32(st_u32 *p, uint32_t old, uint32_t v)
{
	return atomic_compare_exchange_strong_explicit(p, &old, v, memory_order_acq_rel,
						       memory_order_acquire);
}

struct st_barrier {
	pthread_barrier_t b;
};
struct st_barrier_state {
	int unused;
};

static inline void st_barrier_init(struct st_barrier *b, unsigned n)
{
	(void)pthread_barrier_init(&b->b, NULL, n);
}

static inline void st_barrier_state_init(struct st_barrier_state *s)
{
	s->unused = 0;
}

static inline void st_barrier_wait(struct st_barrier *b, struct st_barrier_state *s, unsigned n)
{
	(void)s;
	(void)n;
	(void)pthread_barrier_wait(&b->b);
}

#else
#include <ck_barrier.h>
#include <ck_pr.h>

typedef uint32_t st_u32;
typedef uint64_t st_u64;

static inline uint32_t st_load32(const st_u32 *p)
{
	uint32_t v = ck_pr_load_32(p);

	ck_pr_fence_acquire();
	return v;
}

static inline void st_store32(st_u32 *p, uint32_t v)
{
	ck_pr_fence_release();
	ck_pr_store_32(p, v);
}

static inline uint64_t st_load64(const st_u64 *p)
{
	uint64_t v = ck_pr_load_64(p);

	ck_pr_fence_acquire();
	return v;
}

static inline void st_store64(st_u64 *p, uint64_t v)
{
	ck_pr_fence_release();
	ck_pr_store_64(p, v);
}

static inline uint32_t st_xchg32(st_u32 *p, uint32_t v)
{
	ck_pr_fence_memory();
	v = ck_pr_fas_32(p, v);
	ck_pr_fence_memory();
	return v;
}

static inline uint32_t st_faa32(st_u32 *p, uint32_t v)
{
	ck_pr_fence_memory();
	v = ck_pr_faa_32(p, v);
	ck_pr_fence_memory();
	return v;
}

static inline int st_cas32(st_u32 *p, uint32_t old, uint32_t v)
{
	int ok;

	ck_pr_fence_memory();
	ok = ck_pr_cas_32(p, old, v);
	ck_pr_fence_memory();
	return ok;
}

struct st_barrier {
	ck_barrier_centralized_t b;
};
struct st_barrier_state {
	ck_barrier_centralized_state_t s;
};

static inline void st_barrier_init(struct st_barrier *b, unsigned n)
{
	(void)n;
	b->b.value = 0;
	b->b.sense = 0;
}

static inline void st_barrier_state_init(struct st_barrier_state *s)
{
	s->s.sense = 0;
}

static inline void st_barrier_wait(struct st_barrier *b, struct st_barrier_state *s, unsigned n)
{
	ck_barrier_centralized(&b->b, &s->s, n);
}
#endif

#endif
