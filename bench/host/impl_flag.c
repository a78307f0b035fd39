/* SPDX-License-Identifier: MIT */
/*
 * The Zephyr arm64 scheme as a baseline: one array per thread, rewritten in
 * place, guarded by the thread's `flushing` flag. The switching CPU CASes
 * the flag 0 -> 1 (spinning while the updater holds it), copies, clears it;
 * the updater takes the same flag while it rewrites the array. So a reader
 * can wait for a writer: the tail this scheme pays.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include "bench.h"

struct flag_obj {
	atomic_uint flushing;
	struct bench_regs regs;
} __attribute__((aligned(64)));

static struct flag_obj *flag_objs;

static int flag_setup(unsigned nobj, unsigned nreaders)
{
	(void)nreaders;
	flag_objs = aligned_alloc(64, sizeof(*flag_objs) * nobj);
	if (flag_objs == NULL)
		return -1;
	for (unsigned i = 0; i < nobj; i++) {
		atomic_init(&flag_objs[i].flushing, 0);
		bench_fill(&flag_objs[i].regs, 1);
	}
	return 0;
}

static void flag_teardown(void)
{
	free(flag_objs);
	flag_objs = NULL;
}

static void flag_nop(unsigned t)
{
	(void)t;
}

static void flag_take(atomic_uint *f)
{
	unsigned expect = 0;

	/* Acquire: the array reads/writes below happen after we own it. */
	while (!atomic_compare_exchange_weak_explicit(f, &expect, 1, memory_order_acquire,
						      memory_order_relaxed)) {
		expect = 0;
		bench_pause();
	}
}

static void flag_give(atomic_uint *f)
{
	/* Release: our array reads/writes happen before the next owner's. */
	atomic_store_explicit(f, 0, memory_order_release);
}

static void flag_read(unsigned r, struct bench_regs *mpu)
{
	struct flag_obj *o = &flag_objs[r];

	flag_take(&o->flushing);
	bench_copy(mpu, &o->regs);
	flag_give(&o->flushing);
}

static void flag_publish(unsigned w, unsigned obj, uint64_t ver)
{
	struct flag_obj *o = &flag_objs[obj];

	(void)w;
	flag_take(&o->flushing);
	bench_fill(&o->regs, ver);
	flag_give(&o->flushing);
}

const struct bench_impl bench_impl_flag = {
	.name = "cas-flag",
	.setup = flag_setup,
	.teardown = flag_teardown,
	.reader_begin = flag_nop,
	.reader_end = flag_nop,
	.writer_begin = flag_nop,
	.writer_end = flag_nop,
	.read = flag_read,
	.collect = NULL,
	.publish = flag_publish,
	.note = NULL,
};
