/* SPDX-License-Identifier: MIT */
/*
 * The liburcu baseline, shared by the qsbr and memb flavors: the including
 * file selects the flavor header (which maps rcu_* to urcu_qsbr_* or
 * urcu_memb_*) and defines URCU_IMPL (the bench_impl name) and
 * URCU_QSBR (1: announce a quiescent state after every read).
 *
 * Reader: rcu_read_lock, rcu_dereference, copy, rcu_read_unlock (+ qsbr:
 * rcu_quiescent_state, which is the "done" announcement and so is timed).
 * Writer: fill the spare version, rcu_xchg_pointer, synchronize_rcu, then
 * the old version becomes the spare and is rewritten by the next publish.
 * Reusing it in place (instead of free + malloc) is what lets a broken grace
 * period show up as a torn copy in bench_check().
 */
#include <stdlib.h>
#include "bench.h"

struct urcu_obj {
	struct bench_regs *cur;   /* published with rcu_xchg_pointer */
	struct bench_regs *spare; /* writer-private */
	struct bench_regs buf[2];
} __attribute__((aligned(64)));

static struct urcu_obj *urcu_objs;
static unsigned urcu_nobj;

static int urcu_setup(unsigned nobj, unsigned nreaders)
{
	(void)nreaders;
	urcu_objs = aligned_alloc(64, sizeof(*urcu_objs) * nobj);
	if (urcu_objs == NULL)
		return -1;
	urcu_nobj = nobj;
	for (unsigned i = 0; i < nobj; i++) {
		bench_fill(&urcu_objs[i].buf[0], 1);
		urcu_objs[i].spare = &urcu_objs[i].buf[1];
		/* Before any thread starts: pthread_create orders it. */
		rcu_set_pointer(&urcu_objs[i].cur, &urcu_objs[i].buf[0]);
	}
	return 0;
}

static void urcu_teardown(void)
{
	free(urcu_objs);
	urcu_objs = NULL;
}

static void urcu_reader_begin(unsigned r)
{
	(void)r;
	rcu_register_thread(); /* qsbr: also puts the thread online */
}

static void urcu_reader_end(unsigned r)
{
	(void)r;
	rcu_unregister_thread(); /* qsbr: offline first, so writers stop waiting for us */
}

static void urcu_writer_nop(unsigned w)
{
	(void)w;
}

static void urcu_read(unsigned r, struct bench_regs *mpu)
{
	rcu_read_lock();
	bench_copy(mpu, rcu_dereference(urcu_objs[r].cur));
	rcu_read_unlock();
#if URCU_QSBR
	rcu_quiescent_state();
#endif
}

static void urcu_publish(unsigned w, unsigned obj, uint64_t ver)
{
	struct urcu_obj *o = &urcu_objs[obj];
	struct bench_regs *old;

	(void)w;
	bench_fill(o->spare, ver);
	old = rcu_xchg_pointer(&o->cur, o->spare);
	synchronize_rcu();
	o->spare = old;
}

/* The benchmark entry of one flavor: everything above, plus its note. */
#define URCU_BENCH_IMPL(var, impl_name, note_fn) \
	const struct bench_impl var = {          \
		.name = impl_name,               \
		.setup = urcu_setup,             \
		.teardown = urcu_teardown,       \
		.reader_begin = urcu_reader_begin, \
		.reader_end = urcu_reader_end,   \
		.writer_begin = urcu_writer_nop, \
		.writer_end = urcu_writer_nop,   \
		.read = urcu_read,               \
		.collect = NULL,                 \
		.publish = urcu_publish,         \
		.note = note_fn,                 \
	}
