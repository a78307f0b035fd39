/* SPDX-License-Identifier: MIT */
/*
 * SMP republish under prs_kernel. Thread W on core 1 revokes and grants page
 * X of thread T, which runs on core 0 next to a noise thread U, for ROUNDS
 * rounds, through the system calls (prs_k_revoke / prs_k_grant: rebuild,
 * publish, reload SGI, ticket wait). After each call returns, W hands the
 * new state to T through a mailbox in a domain page they share (release /
 * acquire counters, no sleeps) and waits for T's acknowledgement. T then
 * touches X once: while revoked the access must fault (an access that does
 * not is an escape: the count must be 0), while granted it must succeed
 * and see the value T stored in the previous granted round.
 *
 * T alternates two ways of waiting for W: spinning without yielding (T is
 * the set loaded on core 0 when W publishes: the reload IPI path must take
 * the new set) and yielding to U on every poll (core 0 switches T <-> U all
 * the time: prs_switch must pick the new set up when T comes back).
 * Catches: a revoke that returns before core 0 dropped the range (escape),
 * a lost or late reload IPI (escape, or a hang if a ticket never
 * completes), a grant not in force on return (unexpected fault), a set torn
 * or mixed between T and U (faults or wrong data), an epoch that does not
 * advance by exactly one per publish, deadlock between a waiting writer and
 * the reload path.
 *
 * KT_ROUNDS sets the round count (default 5000; the long variant, CMake
 * option PRS_QEMU_LONG, builds qemu_kernel_republish_long with 100000).
 *
 * Runs under -icount (one host thread, cores round robin at yield points:
 * the polling loops use prs_k_relax). Why not multi-threaded TCG: prsched's
 * switch path relies on Armv8's ordering of a store-release before a later
 * load-acquire (STL -> LDA, RCsc: no DMB between announcing and re-reading
 * the word), and QEMU's MTTCG on an x86 host does not implement it -- a
 * store-buffer litmus with STL/LDA on the two cores shows the forbidden
 * outcome in 0.5-9% of rounds (tests/qemu/kernel_litmus_sb.c), and this test
 * then sees escapes (T runs the old set after the revoke's ticket
 * completed, because neither side saw the other's store). Under -icount
 * memory is sequentially consistent, as the architecture promises for
 * this pattern. qemu_kernel_republish_smp runs the same test with real
 * parallelism (MTTCG) on prs_kernel_fenced, whose library copy makes that
 * store -> load order explicit with a DSB (bench/kernel/CMakeLists.txt).
 * Limitation, checked by mutation: QEMU raises an SGI on the target core as
 * soon as it is sent and a core takes a pending IRQ before its next EL0
 * instruction, so a kernel that returned from revoke without waiting on
 * the ticket would pass here too (on silicon the SGI's latency opens that
 * window); the ticket itself is covered by the host tests of sync/.
 */
#include <stdatomic.h>

#include "kernel_handoff.h"

#ifndef KT_ROUNDS
#define KT_ROUNDS 5000u
#endif
#define OFF_X 0x40u

/* The shared mailbox (domain page of T and W). */
struct mbox {
	_Atomic uint32_t cmd;  /* W -> T: seq of the last completed call (odd revoked, even granted) */
	_Atomic uint32_t ack;  /* T -> W: seq T has tested */
	_Atomic uint32_t done; /* W -> U: stop */
	uint32_t t_id, x, x_size, rounds, attr;
	uint32_t u_own; /* U's private page */
};

/* W: the writer, on core 1. Records: call errors, epoch errors. */
PRS_K_USER static void writer_thread(void *arg)
{
	struct mbox *m = arg;
	uint32_t errors = 0, epoch_errors = 0;

	for (uint32_t r = 0; r < m->rounds; r++) {
		for (uint32_t g = 0; g < 2u; g++) {
			uint32_t seq = 2u * r + 1u + g;
			uint32_t w0 = prs_k_word_sys(m->t_id), w1;
			int err = g ? prs_k_grant_sys(m->t_id, m->x, m->x_size, m->attr)
				    : prs_k_revoke_sys(m->t_id, m->x, m->x_size);

			w1 = prs_k_word_sys(m->t_id);
			errors += err != 0;
			/* Epochs are 21-bit serial numbers (prsched/publish.h). */
			epoch_errors += (((w1 >> PRS_WORD_EPOCH_SHIFT) - (w0 >> PRS_WORD_EPOCH_SHIFT)) &
					 PRS_EPOCH_MASK) != 1u;
			kt_handoff(&m->cmd, &m->ack, seq);
		}
	}
	atomic_store_explicit(&m->done, 1u, memory_order_release);
	prs_k_record(errors);
	prs_k_record(epoch_errors);
	prs_k_exit(0);
}

/* T: the target, on core 0 (kernel_handoff.h). */
PRS_K_USER static void target_thread(void *arg)
{
	struct mbox *m = arg;

	kt_target_loop(&m->cmd, &m->ack, m->x + OFF_X, m->rounds);
}

/* U: noise on core 0 (mailbox + its own page, not X), yields on every step. */
PRS_K_USER static void noise_thread(void *arg)
{
	struct mbox *m = arg;
	volatile uint32_t *own = (volatile uint32_t *)m->u_own;
	uint32_t n = 0;

	/* Relaxed: only a stop request, it orders nothing. */
	while (!atomic_load_explicit(&m->done, memory_order_relaxed)) {
		own[n & 15u] = n;
		n++;
		prs_k_yield();
	}
	prs_k_record(prs_k_faults_sys());
	prs_k_exit(0);
}

/*
 * Both paths that pick up a new set on core 0 were exercised: the library's
 * counters, kept only by a PRS_STATS=1 build (prs_kernel_stats and
 * prs_kernel_fenced, which this test links; tests/qemu/CMakeLists.txt).
 */
static void check_paths(void)
{
#if PRS_STATS
	const struct prs_cpu_stats *c0 = &prs_k_prs_cpu(0)->stats;

	KT_CHECK(atomic_load_explicit(&c0->reload_copies, memory_order_relaxed) > 0u);
	KT_CHECK(atomic_load_explicit(&c0->slow, memory_order_relaxed) > 0u);
#else
#error "kernel_republish asserts the library's counters: link prs_kernel_stats"
#endif
}

static void check(const struct mbox *m, const struct prs_k_thread *t,
		  const struct prs_k_thread *u, const struct prs_k_thread *w)
{
	uint32_t n = t->nfaults < PRS_K_FAULT_LOG ? t->nfaults : PRS_K_FAULT_LOG;

	rt_printf("kernel_republish: T: %lu faults, %lu escapes, %lu unexpected faults, "
		  "%lu data errors, %lu switches in; W: %lu call errors, %lu epoch errors\n",
		  (unsigned long)t->nfaults, (unsigned long)t->records[0],
		  (unsigned long)t->records[1], (unsigned long)t->records[2],
		  (unsigned long)t->switches_in, (unsigned long)w->records[0],
		  (unsigned long)w->records[1]);
	KT_CHECK_EQ(t->exit_code, 0);
	KT_CHECK_EQ(t->nrecords, 3);
	KT_CHECK_EQ(t->records[0], 0); /* escapes */
	KT_CHECK_EQ(t->records[1], 0); /* unexpected faults */
	KT_CHECK_EQ(t->records[2], 0); /* data errors */
	KT_CHECK_EQ(t->nfaults, KT_ROUNDS); /* one per revoked round, nothing else */
	for (uint32_t i = 0; i < n; i++) {
		KT_CHECK_EQ(t->faults[i].addr, m->x + OFF_X);
		KT_CHECK_EQ(t->faults[i].kind, PRS_K_FAULT_READ);
	}
	KT_CHECK_EQ(w->nrecords, 2);
	KT_CHECK_EQ(w->records[0], 0); /* revoke/grant errors */
	KT_CHECK_EQ(w->records[1], 0); /* epoch not advanced by exactly one */
	KT_CHECK_EQ(w->nfaults, 0);
	KT_CHECK_EQ(u->nrecords, 1);
	KT_CHECK_EQ(u->records[0], 0); /* U never faulted: its set was never T's */
	check_paths();
}

int main(void)
{
	static struct prs_k_domain dom;
	struct prs_k_thread *t, *u, *w;
	struct prs_range mr, xr, ur;
	uintptr_t mpage, xpage, upage;
	struct mbox *m;
	uint64_t t0;

	KT_CHECK_EQ(prs_k_init(NULL), PRS_OK);
	KT_CHECK_EQ(rt_ncpus(), 2);
	mpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	xpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	upage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	mr = kt_rw_range((void *)mpage, PRS_K_PAGE);
	xr = kt_rw_range((void *)xpage, PRS_K_PAGE);
	ur = kt_rw_range((void *)upage, PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_domain_init(&dom), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_add(&dom, &mr), PRS_OK);
	m = (struct mbox *)(void *)mpage;
	atomic_init(&m->cmd, 0u);
	atomic_init(&m->ack, 0u);
	atomic_init(&m->done, 0u);
	m->x = (uint32_t)xpage;
	m->x_size = PRS_K_PAGE;
	m->rounds = KT_ROUNDS;
	m->attr = PRS_K_ATTR(xr.perm, xr.memtype, xr.share, xr.opts);
	m->u_own = (uint32_t)upage;
	/* X starts at 0, written here: W may revoke before T first runs. */
	*(volatile uint32_t *)(void *)(xpage + OFF_X) = 0;
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "T", .entry = target_thread, .arg = m, .cpu = 0, .domain = &dom,
		.parts = &xr, .nparts = 1 }, &t), PRS_OK);
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "U", .entry = noise_thread, .arg = m, .cpu = 0, .domain = &dom,
		.parts = &ur, .nparts = 1 }, &u), PRS_OK);
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "W", .entry = writer_thread, .arg = m, .cpu = 1, .domain = &dom }, &w),
		PRS_OK);
	if (kt_failures)
		return 1;
	m->t_id = t->id;
	t0 = rt_cntpct();
	KT_CHECK_EQ(prs_k_run(), 0);
	rt_printf("kernel_republish: %lu rounds in %lu ms\n", (unsigned long)KT_ROUNDS,
		  (unsigned long)kt_ms_since(t0));
	check(m, t, u, w);
	prs_k_print_stats("kernel_republish");
	rt_printf("kernel_republish: %s\n", kt_failures ? "FAIL" : "ok");
	return kt_failures ? 1 : 0;
}
