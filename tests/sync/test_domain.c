/* SPDX-License-Identifier: MIT */
/*
 * Memory domains, batch updates and teardown (prsched/domain.h,
 * prsched/thread.h), observed through each CPU's host MPU model: a
 * partition removal returns only once it is gone from every CPU running
 * any member (not at their next switch), refusals change no partition, no
 * membership and no published word of any member, removals never fail
 * for lack of slots, and the system's relax hook is what a waiting writer
 * runs.
 */
#include "twocpu.h"
#include "prsched/domain.h"

#define A 0x10100000u /* thread memory lies here, above the first static */

static struct prs_thread th[3];
static struct prs_domain dom, dom2;
static PRS_POOL_DEFINE(pool, 12, 1, 16);
static struct prs_rangeset_entry own_e[3][16], alt_e[16], dom_e[16], dom2_e[4];

static uint32_t word(unsigned i)
{
	return atomic_load(&th[i].h.word);
}

/* nregions slots (4 static), 3 threads, a domain with 16 partitions, one with 4. */
static void setup_with(unsigned nregions, int relax)
{
	tc_init(nregions, pool, sizeof(pool), relax);
	for (unsigned i = 0; i < 3; i++)
		PRS_CHECK_EQ(prs_thread_init(&th[i], &tc_sys, NULL, 0, own_e[i], 16), PRS_OK);
	PRS_CHECK_EQ(prs_domain_init(&dom, &tc_sys, dom_e, 16), PRS_OK);
	PRS_CHECK_EQ(prs_domain_init(&dom2, &tc_sys, dom2_e, 4), PRS_OK);
}

/* Members on both CPUs: an added partition is mapped on both, a removed one gone from both. */
static void t_partition_add_remove(void)
{
	struct prs_range p = tc_range(A, 0x1000u, PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W);
	struct prs_tickets ts;

	setup_with(16, 0);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[1], NULL), PRS_OK);
	prs_switch(&tc_cpu[0], &th[0].h);
	prs_switch(&tc_cpu[1], &th[1].h);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &p, &ts), PRS_OK);
	PRS_CHECK_EQ(ts.n, 2u);
	PRS_CHECK_EQ(prs_tickets_poll(&ts), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A), 1); /* reloaded, not waiting for a switch */
	PRS_CHECK_EQ(tc_mapped(1, A + 0xFFFu), 1);
	/* Async removal: one ticket per member, each completes with its CPU's reload. */
	tc_ipi_now = 0;
	PRS_CHECK_EQ(prs_domain_remove_partition_async(&dom, p.base, p.size, &ts), PRS_OK);
	PRS_CHECK_EQ(tc_ipi_pending, 3u); /* one reload call for both CPUs */
	PRS_CHECK_EQ(prs_tickets_poll(&ts), PRS_E_AGAIN);
	prs_reload(&tc_cpu[0]);
	PRS_CHECK_EQ(prs_tickets_poll(&ts), PRS_E_AGAIN);
	PRS_CHECK_EQ(tc_mapped(1, A), 1); /* CPU 1 has not reloaded yet */
	prs_reload(&tc_cpu[1]);
	PRS_CHECK_EQ(prs_tickets_poll(&ts), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A) + tc_mapped(1, A), 0);
	/* Synchronous removal: gone from both CPUs when it returns. */
	tc_ipi_now = 1;
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &p, NULL), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A) + tc_mapped(1, A), 2);
	PRS_CHECK_EQ(prs_domain_remove_partition(&dom, p.base, p.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A) + tc_mapped(1, A), 0);
	PRS_CHECK_EQ(prs_domain_remove_partition(&dom, p.base, p.size), PRS_E_NOENT);
	PRS_CHECK_EQ(tc_mpu[0].violations + tc_mpu[1].violations, 0);
}

/*
 * All members or none: th[0] has its slots nearly full, th[1] is empty. A
 * partition that fits th[1] but not th[0] is refused; th[1]'s word, the
 * partitions and th[1]'s MPU are as before.
 */
static void t_all_or_nothing(void)
{
	struct prs_range p = tc_range(A + 0x800000u, 0x1000u, PRS_EL1_R);
	uint32_t w0, w1;
	unsigned i;

	setup_with(16, 0);
	for (i = 0; i < 12; i++) {
		struct prs_range r = tc_range(A + i * 0x10000u, 0x1000u, PRS_EL1_R);

		PRS_CHECK_EQ(prs_thread_grant(&th[0], &r), PRS_OK);
	}
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[1], NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_OK);
	prs_switch(&tc_cpu[1], &th[1].h);
	w0 = word(0);
	w1 = word(1);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &p, NULL), PRS_E_NOSPACE);
	PRS_CHECK_EQ(dom.parts.n, 0u);
	PRS_CHECK_EQ(word(0), w0);
	PRS_CHECK_EQ(word(1), w1);
	PRS_CHECK_EQ(tc_mapped(1, p.base), 0);
	/* A thread that does not fit the domain is refused too, and stays out. */
	PRS_CHECK_EQ(prs_domain_remove_thread(&dom, &th[0]), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &p, NULL), PRS_OK);
	w0 = word(0);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_E_NOSPACE);
	PRS_CHECK_EQ(word(0), w0);
	PRS_CHECK_EQ(th[0].h.ndom, 0u);
	PRS_CHECK_EQ(dom.n, 1u);
	PRS_CHECK_EQ(tc_mapped(1, p.base), 1);
}

/*
 * Invariant 9 across members: with 2 free slots, partition D = [A, A+0x300)
 * RW and th[0]'s own T1 = [A, A+0x100) RO, T2 = [A+0x100, A+0x200) RO as a
 * SECOND partition would fit now but removing T1 would need 3: the
 * partition is refused (PRS_E_UNREVOCABLE) for every member, and every
 * removal afterwards succeeds.
 */
static void t_removal_never_fails(void)
{
	struct prs_range d = tc_range(A, 0x300u, PRS_EL1_R | PRS_EL1_W);
	struct prs_range t1 = tc_range(A, 0x100u, PRS_EL1_R);
	struct prs_range t2 = tc_range(A + 0x100u, 0x100u, PRS_EL1_R);
	uint32_t w;

	setup_with(6, 0);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom2, &d, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom2, &th[0], NULL), PRS_OK);
	PRS_CHECK_EQ(prs_thread_grant(&th[0], &t1), PRS_OK);
	w = word(0);
	/* dom (inner, joined later) would hold T2: refused for the member, nothing joined. */
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &t2, NULL), PRS_OK); /* no member yet */
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_E_UNREVOCABLE);
	PRS_CHECK_EQ(word(0), w);
	PRS_CHECK_EQ(th[0].h.ndom, 1u);
	prs_switch(&tc_cpu[0], &th[0].h);
	PRS_CHECK_EQ(prs_thread_revoke(&th[0], t1.base, t1.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A), 1); /* D */
	PRS_CHECK_EQ(prs_domain_remove_partition(&dom2, d.base, d.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, A), 0);
	PRS_CHECK_EQ(prs_domain_remove_thread(&dom2, &th[0]), PRS_OK);
	PRS_CHECK_EQ(tc_mpu[0].violations, 0);
}

/* Leaving a domain unmaps its partitions at once; membership rules and bounds. */
static void t_membership(void)
{
	struct prs_range p = tc_range(A, 0x1000u, PRS_EL1_R);
	struct prs_range q = tc_range(A + 0x10000u, 0x1000u, PRS_EL1_R);

	setup_with(16, 0);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom, &p, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_partition(&dom2, &q, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_OK);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom, &th[0], NULL), PRS_E_ARG);
	PRS_CHECK_EQ(prs_domain_add_thread(&dom2, &th[0], NULL), PRS_OK);
	prs_switch(&tc_cpu[1], &th[0].h);
	PRS_CHECK_EQ(tc_mapped(1, p.base) + tc_mapped(1, q.base), 2);
	PRS_CHECK_EQ(prs_domain_remove_thread(&dom, &th[0]), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(1, p.base), 0);
	PRS_CHECK_EQ(tc_mapped(1, q.base), 1);
	PRS_CHECK_EQ(prs_domain_remove_thread(&dom, &th[0]), PRS_E_NOENT);
	/* Teardown leaves every domain. */
	prs_switch(&tc_cpu[1], &th[1].h);
	PRS_CHECK_EQ(prs_thread_fini(&th[0]), PRS_OK);
	PRS_CHECK_EQ(dom2.n, 0u);
	PRS_CHECK_EQ(prs_handle_busy(&th[0].h), 0u);
	PRS_CHECK_EQ(prs_domain_remove_partition(&dom2, q.base, q.size), PRS_OK);
	/* A thread's domain bound. */
	{
		static struct prs_domain more[PRS_THREAD_MAX_DOMAINS + 1u];
		static struct prs_rangeset_entry more_e[PRS_THREAD_MAX_DOMAINS + 1u][1];
		unsigned i;

		for (i = 0; i < PRS_THREAD_MAX_DOMAINS; i++) {
			PRS_CHECK_EQ(prs_domain_init(&more[i], &tc_sys, more_e[i], 1), PRS_OK);
			PRS_CHECK_EQ(prs_domain_add_thread(&more[i], &th[2], NULL), PRS_OK);
		}
		PRS_CHECK_EQ(prs_domain_init(&more[i], &tc_sys, more_e[i], 1), PRS_OK);
		PRS_CHECK_EQ(prs_domain_add_thread(&more[i], &th[2], NULL), PRS_E_FULL);
	}
}

/* prs_thread_update: one publish for several changes, all undone on a refusal. */
static void t_update(void)
{
	struct prs_range a = tc_range(A, 0x1000u, PRS_EL1_R);
	struct prs_range b = tc_range(A + 0x10000u, 0x1000u, PRS_EL1_R | PRS_EL1_W);
	struct prs_range c = tc_range(A + 0x20000u, 0x1000u, PRS_EL1_R);
	struct prs_range bad = tc_range(A + 0x30010u, 0x1000u, PRS_EL1_R);
	struct prs_range grants[2], revokes[1];
	struct prs_ticket tk;
	uint32_t w;

	setup_with(16, 0);
	prs_switch(&tc_cpu[0], &th[0].h);
	grants[0] = a;
	grants[1] = b;
	PRS_CHECK_EQ(prs_thread_update(&th[0], grants, 2, NULL, 0, NULL), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base) + tc_mapped(0, b.base), 2);
	/* Revoke a, grant c and a misaligned range: refused, a still there, c not. */
	w = word(0);
	revokes[0] = a;
	grants[0] = c;
	grants[1] = bad;
	PRS_CHECK_EQ(prs_thread_update(&th[0], grants, 2, revokes, 1, NULL), PRS_E_ALIGN);
	PRS_CHECK_EQ(word(0), w);
	PRS_CHECK_EQ(th[0].h.own.n, 2u);
	PRS_CHECK_EQ(prs_rangeset_find(&th[0].h.own, a.base, a.size) >= 0, 1);
	PRS_CHECK_EQ(prs_rangeset_find(&th[0].h.own, c.base, c.size), -1);
	/* Revoking something never granted: the grant before it is undone too. */
	revokes[0] = c;
	PRS_CHECK_EQ(prs_thread_update(&th[0], grants, 1, revokes, 1, NULL), PRS_E_NOENT);
	PRS_CHECK_EQ(word(0), w);
	/* The valid swap: exactly one publish, a gone, c in force. */
	revokes[0] = a;
	tc_ipi_now = 0;
	PRS_CHECK_EQ(prs_thread_update(&th[0], grants, 1, revokes, 1, &tk), PRS_OK);
	PRS_CHECK_EQ(prs_word_epoch(word(0)), prs_word_epoch(w) + 1u);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_E_AGAIN);
	prs_reload(&tc_cpu[0]);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK_EQ(tc_mapped(0, c.base), 1);
	PRS_CHECK_EQ(prs_thread_update(&th[0], NULL, 0, revokes,
				       PRS_THREAD_UPDATE_MAX + 1u, NULL), PRS_E_ARG);
}

/* prs_thread_replace: the whole own layer in one publish, into new storage. */
static void t_replace(void)
{
	struct prs_range a = tc_range(A, 0x1000u, PRS_EL1_R);
	struct prs_range next[2] = { tc_range(A + 0x10000u, 0x1000u, PRS_EL1_R),
				     tc_range(A + 0x20000u, 0x1000u, PRS_EL1_R) };
	struct prs_range clash[2] = { tc_range(A, 0x2000u, PRS_EL1_R), tc_range(A + 0x1000u, 0x1000u, 0) };
	uint32_t w;

	setup_with(16, 0);
	prs_switch(&tc_cpu[0], &th[0].h);
	PRS_CHECK_EQ(prs_thread_grant(&th[0], &a), PRS_OK);
	w = word(0);
	PRS_CHECK_EQ(prs_thread_replace(&th[0], alt_e, 16, clash, 2, NULL), PRS_E_CONFLICT);
	PRS_CHECK_EQ(word(0), w);
	PRS_CHECK(th[0].h.own.e == own_e[0]);
	PRS_CHECK_EQ(prs_thread_replace(&th[0], alt_e, 16, next, 2, NULL), PRS_OK);
	PRS_CHECK(th[0].h.own.e == alt_e);
	PRS_CHECK_EQ(prs_word_epoch(word(0)), prs_word_epoch(w) + 1u);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK_EQ(tc_mapped(0, next[0].base) + tc_mapped(0, next[1].base), 2);
}

/*
 * Waiting a kernel can live with: with IRQs "masked" (no reload delivered
 * by the callback) a revoke completes only because the system's relax hook
 * serves the pending reload; a grant's ticket reports when it is in force.
 */
static void t_relax_hook_and_grant_ticket(void)
{
	struct prs_range a = tc_range(A, 0x1000u, PRS_EL1_R);
	struct prs_ticket tk;

	setup_with(16, 1);
	prs_switch(&tc_cpu[0], &th[0].h);
	tc_ipi_now = 0;
	PRS_CHECK_EQ(prs_thread_grant_async(&th[0], &a, &tk), PRS_OK);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_E_AGAIN);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	prs_ticket_wait(&tk); /* served by relax_cb */
	PRS_CHECK_EQ(tc_mapped(0, a.base), 1);
	PRS_CHECK(tc_relax_calls > 0);
	tc_relax_calls = 0;
	PRS_CHECK_EQ(prs_thread_revoke(&th[0], a.base, a.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK(tc_relax_calls > 0);
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_partition_add_remove),
	PRS_TEST_ENTRY(t_all_or_nothing),
	PRS_TEST_ENTRY(t_removal_never_fails),
	PRS_TEST_ENTRY(t_membership),
	PRS_TEST_ENTRY(t_update),
	PRS_TEST_ENTRY(t_replace),
	PRS_TEST_ENTRY(t_relax_hook_and_grant_ticket),
};

PRS_TEST_MAIN("sync.domain", tests)
