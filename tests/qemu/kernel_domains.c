/* SPDX-License-Identifier: MIT */
/*
 * Memory domains across both cores (prsched/domain.h through prs_kernel's
 * system calls). Domain D holds page X; its members are T and U on core 0
 * and the writer W on core 1; domain M holds the mailbox (T, U, W). For
 * KT_ROUNDS rounds W, on core 1, takes X away and gives it back, in two
 * ways on alternate rounds:
 *   - partition rounds: remove X from D (every member loses it), add it back;
 *   - member rounds: T leaves D (only T loses X), joins again.
 * After each call returns W hands the state to T through the mailbox
 * (release/acquire counters, no sleeps) and waits for T's acknowledgement;
 * T touches X once. While X is away from T, T's access must fault -- every
 * time: an access that does not is an escape, and the count must be 0 (a
 * removal that returned while core 0 still had X mapped, i.e. other CPUs
 * keeping the old view until they switch, zephyr#27785). While X is back
 * the access must succeed and see the value T stored last time. W probes
 * X itself after each call: it is a member, so in partition rounds its own
 * core (the writer's, IRQs masked during the wait: the kernel's relax hook
 * serves its reload) must drop X too, and in member rounds keep it.
 * Every call must advance T's epoch by exactly one (one publish per member).
 *
 * T alternates spinning (the reload IPI path) and yielding to U (the
 * switch path) while it waits, as in kernel_republish. U, on core 0, is a
 * second writer: it revokes and re-grants its own private page in a loop
 * (checking its access each time), so writers on both cores contend for
 * prsched's writer lock -- the filter lock over plain loads and stores
 * keyed by the core index, no exclusives. qemu_kernel_domains runs under
 * -icount (see kernel_republish.c for why); qemu_kernel_domains_smp runs
 * the cores in parallel (MTTCG) on the fenced library build.
 */
#include <stdatomic.h>

#include "kernel_handoff.h"

#ifndef KT_ROUNDS
#define KT_ROUNDS 3000u
#endif
#define OFF_X 0x40u

struct mbox {
	_Atomic uint32_t cmd;  /* W -> T: seq of the last completed call (odd: X away) */
	_Atomic uint32_t ack;  /* T -> W: seq T has tested */
	_Atomic uint32_t done; /* W -> U: stop */
	uint32_t t_id, d_id, x, rounds, attr;
	uint32_t u_id, u_page; /* U's private page */
};

/* W, core 1. Records: call errors, epoch errors, own escapes, own unexpected faults. */
PRS_K_USER static void writer_thread(void *arg)
{
	struct mbox *m = arg;
	uint32_t errors = 0, epoch_errors = 0, escapes = 0, unexpected = 0;

	for (uint32_t r = 0; r < m->rounds; r++) {
		int member_round = r % 2u;

		for (uint32_t g = 0; g < 2u; g++) {
			uint32_t seq = 2u * r + 1u + g, f0, f1;
			uint32_t w0 = prs_k_word_sys(m->t_id), w1;
			int err;

			if (member_round)
				err = g ? prs_k_dom_join_sys(m->d_id, m->t_id)
					: prs_k_dom_leave_sys(m->d_id, m->t_id);
			else
				err = g ? prs_k_dom_add_sys(m->d_id, m->x, PRS_K_PAGE, m->attr)
					: prs_k_dom_remove_sys(m->d_id, m->x, PRS_K_PAGE);
			w1 = prs_k_word_sys(m->t_id);
			errors += err != 0;
			epoch_errors += (((w1 >> PRS_WORD_EPOCH_SHIFT) - (w0 >> PRS_WORD_EPOCH_SHIFT)) &
					 PRS_EPOCH_MASK) != 1u;
			/* W's own view: X away only in a partition round's removed state. */
			f0 = prs_k_faults_sys();
			(void)prs_k_peek(m->x + OFF_X + 4u, 0);
			f1 = prs_k_faults_sys();
			if (!member_round && g == 0)
				escapes += f1 != f0 + 1u;
			else
				unexpected += f1 != f0;
			kt_handoff(&m->cmd, &m->ack, seq);
		}
	}
	atomic_store_explicit(&m->done, 1u, memory_order_release);
	prs_k_record(errors);
	prs_k_record(epoch_errors);
	prs_k_record(escapes);
	prs_k_record(unexpected);
	prs_k_exit(0);
}

/* T: the target, on core 0 (kernel_handoff.h). */
PRS_K_USER static void target_thread(void *arg)
{
	struct mbox *m = arg;

	kt_target_loop(&m->cmd, &m->ack, m->x + OFF_X, m->rounds);
}

/*
 * U: core 0's writer, a member of both domains that never touches X.
 * Records: call errors, escapes (its page still accessible after its own
 * revoke returned), unexpected faults, rounds.
 */
PRS_K_USER static void noise_thread(void *arg)
{
	struct mbox *m = arg;
	uint32_t errors = 0, escapes = 0, unexpected = 0, n = 0;

	/* Relaxed: only a stop request, it orders nothing. */
	while (!atomic_load_explicit(&m->done, memory_order_relaxed)) {
		uint32_t f0 = prs_k_faults_sys(), f1;

		errors += prs_k_revoke_sys(m->u_id, m->u_page, PRS_K_PAGE) != 0;
		(void)prs_k_peek(m->u_page, 0);
		f1 = prs_k_faults_sys();
		escapes += f1 != f0 + 1u;
		errors += prs_k_grant_sys(m->u_id, m->u_page, PRS_K_PAGE, m->attr) != 0;
		prs_k_poke(m->u_page, n);
		unexpected += prs_k_faults_sys() != f1;
		n++;
		prs_k_yield();
	}
	prs_k_record(errors);
	prs_k_record(escapes);
	prs_k_record(unexpected);
	prs_k_record(n);
	prs_k_exit(0);
}

static void check(const struct mbox *m, const struct prs_k_thread *t,
		  const struct prs_k_thread *u, const struct prs_k_thread *w)
{
	uint32_t n = t->nfaults < PRS_K_FAULT_LOG ? t->nfaults : PRS_K_FAULT_LOG;

	rt_printf("kernel_domains: T: %lu faults, %lu escapes, %lu unexpected, %lu data errors, "
		  "%lu switches in; W: %lu call errors, %lu epoch errors, %lu own escapes, "
		  "%lu own unexpected\n",
		  (unsigned long)t->nfaults, (unsigned long)t->records[0],
		  (unsigned long)t->records[1], (unsigned long)t->records[2],
		  (unsigned long)t->switches_in, (unsigned long)w->records[0],
		  (unsigned long)w->records[1], (unsigned long)w->records[2],
		  (unsigned long)w->records[3]);
	KT_CHECK_EQ(t->exit_code, 0);
	KT_CHECK_EQ(t->nrecords, 3);
	KT_CHECK_EQ(t->records[0], 0); /* escapes */
	KT_CHECK_EQ(t->records[1], 0); /* unexpected faults */
	KT_CHECK_EQ(t->records[2], 0); /* data errors */
	KT_CHECK_EQ(t->nfaults, KT_ROUNDS); /* one per removed state, nothing else */
	for (uint32_t i = 0; i < n; i++) {
		KT_CHECK_EQ(t->faults[i].addr, m->x + OFF_X);
		KT_CHECK_EQ(t->faults[i].kind, PRS_K_FAULT_READ);
	}
	KT_CHECK_EQ(w->nrecords, 4);
	KT_CHECK_EQ(w->records[0], 0); /* call errors */
	KT_CHECK_EQ(w->records[1], 0); /* T's epoch not advanced by exactly one */
	KT_CHECK_EQ(w->records[2], 0); /* W kept X after a partition removal returned */
	KT_CHECK_EQ(w->records[3], 0); /* W lost X when it should not */
	KT_CHECK_EQ(w->nfaults, (KT_ROUNDS + 1u) / 2u);
	rt_printf("kernel_domains: U: %lu revoke/grant rounds, %lu call errors, %lu escapes, "
		  "%lu unexpected\n", (unsigned long)u->records[3], (unsigned long)u->records[0],
		  (unsigned long)u->records[1], (unsigned long)u->records[2]);
	KT_CHECK_EQ(u->nrecords, 4);
	KT_CHECK_EQ(u->records[0], 0);
	KT_CHECK_EQ(u->records[1], 0);
	KT_CHECK_EQ(u->records[2], 0);
	KT_CHECK(u->records[3] > 0u);
	KT_CHECK_EQ(u->nfaults, u->records[3]); /* one per revoked state, nothing else */
}

int main(void)
{
	static struct prs_k_domain dm, dd;
	struct prs_k_thread *t, *u, *w;
	struct prs_range mr, xr, ur;
	uintptr_t mpage, xpage, upage;
	struct mbox *m;
	uint64_t t0;

	KT_CHECK_EQ(prs_k_init(NULL), PRS_OK);
	KT_CHECK_EQ(rt_ncpus(), 2);
	mpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE); /* gap: X is a region of its own */
	xpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	mr = kt_rw_range((void *)mpage, PRS_K_PAGE);
	xr = kt_rw_range((void *)xpage, PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE);
	upage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	ur = kt_rw_range((void *)upage, PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_domain_init(&dm), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_add(&dm, &mr), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_init(&dd), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_add(&dd, &xr), PRS_OK);
	m = (struct mbox *)(void *)mpage;
	atomic_init(&m->cmd, 0u);
	atomic_init(&m->ack, 0u);
	atomic_init(&m->done, 0u);
	m->x = (uint32_t)xpage;
	m->rounds = KT_ROUNDS;
	m->attr = PRS_K_ATTR(xr.perm, xr.memtype, xr.share, xr.opts);
	m->d_id = dd.id;
	m->u_page = (uint32_t)upage;
	*(volatile uint32_t *)(void *)(xpage + OFF_X) = 0;
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "T", .entry = target_thread, .arg = m, .cpu = 0, .domain = &dm }, &t),
		PRS_OK);
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "U", .entry = noise_thread, .arg = m, .cpu = 0, .domain = &dm,
		.parts = &ur, .nparts = 1 }, &u),
		PRS_OK);
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "W", .entry = writer_thread, .arg = m, .cpu = 1, .domain = &dm }, &w),
		PRS_OK);
	KT_CHECK_EQ(prs_k_domain_join(&dd, t), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_join(&dd, u), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_join(&dd, w), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_join(&dd, w), PRS_E_ARG); /* a member already */
	if (kt_failures)
		return 1;
	m->t_id = t->id;
	m->u_id = u->id;
	t0 = rt_cntpct();
	KT_CHECK_EQ(prs_k_run(), 0);
	rt_printf("kernel_domains: %lu rounds in %lu ms\n", (unsigned long)KT_ROUNDS,
		  (unsigned long)kt_ms_since(t0));
	check(m, t, u, w);
	prs_k_print_stats("kernel_domains");
	rt_printf("kernel_domains: %s\n", kt_failures ? "FAIL" : "ok");
	return kt_failures ? 1 : 0;
}
