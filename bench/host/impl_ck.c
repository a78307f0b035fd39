/* SPDX-License-Identifier: MIT */
/*
 * Concurrency Kit ck_epoch baseline. HOST (x86-64) ONLY: Debian's CK 0.7.1
 * ck_md.h hard-codes x86 (CK_MD_TSO and friends), and its epoch code has
 * known ordering bugs on weakly ordered CPUs, so this is no reference for
 * the Arm targets.
 *
 * Reader: ck_epoch_begin, load the current pointer, copy, ck_epoch_end.
 * Writer: fill the spare version, ck_pr_fas_ptr (xchg, a full barrier on
 * x86) to publish, ck_epoch_synchronize on the writer's own record, then the
 * old version is the spare rewritten by the next publish.
 */
#include <stdlib.h>
#include <string.h>
#include <ck_epoch.h>
#include <ck_pr.h>
#include "bench.h"

struct ck_obj {
	struct bench_regs *cur;   /* ck_pr_fas_ptr / ck_pr_load_ptr */
	struct bench_regs *spare; /* writer-private */
	struct bench_regs buf[2];
} __attribute__((aligned(64)));

static ck_epoch_t ck_ep;
static ck_epoch_record_t ck_rec[BENCH_MAX_THREADS * 2];
static struct ck_obj *ck_objs;

static int ck_setup(unsigned nobj, unsigned nreaders)
{
	(void)nreaders;
	ck_objs = aligned_alloc(64, sizeof(*ck_objs) * nobj);
	if (ck_objs == NULL)
		return -1;
	for (unsigned i = 0; i < nobj; i++) {
		bench_fill(&ck_objs[i].buf[0], 1);
		ck_objs[i].spare = &ck_objs[i].buf[1];
		/* Before any thread starts: pthread_create orders it. */
		ck_objs[i].cur = &ck_objs[i].buf[0];
	}
	/* A fresh epoch and fresh records for every run (nothing is pending). */
	memset(ck_rec, 0, sizeof(ck_rec));
	ck_epoch_init(&ck_ep);
	for (unsigned i = 0; i < BENCH_MAX_THREADS * 2; i++)
		ck_epoch_register(&ck_ep, &ck_rec[i], NULL);
	return 0;
}

static void ck_teardown(void)
{
	free(ck_objs);
	ck_objs = NULL;
}

static void ck_nop(unsigned t)
{
	(void)t;
}

static void ck_read(unsigned r, struct bench_regs *mpu)
{
	ck_epoch_record_t *rec = &ck_rec[r];

	ck_epoch_begin(rec, NULL);
	bench_copy(mpu, ck_pr_load_ptr(&ck_objs[r].cur));
	ck_epoch_end(rec, NULL);
}

static void ck_publish(unsigned w, unsigned obj, uint64_t ver)
{
	struct ck_obj *o = &ck_objs[obj];
	struct bench_regs *old;

	bench_fill(o->spare, ver);
	old = ck_pr_fas_ptr(&o->cur, o->spare);
	ck_epoch_synchronize(&ck_rec[BENCH_MAX_THREADS + w]);
	o->spare = old;
}

const struct bench_impl bench_impl_ck = {
	.name = "ck-epoch",
	.setup = ck_setup,
	.teardown = ck_teardown,
	.reader_begin = ck_nop,
	.reader_end = ck_nop,
	.writer_begin = ck_nop,
	.writer_end = ck_nop,
	.read = ck_read,
	.collect = NULL,
	.publish = ck_publish,
	.note = NULL,
};
