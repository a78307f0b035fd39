/* SPDX-License-Identifier: MIT */
/*
 * prs_thread_*: the builder (lib/) feeding publication (sync/), observed
 * through each CPU's host MPU model: a grant becomes a region after the
 * reload it triggers, a revoke returns only once the region is gone from
 * every CPU running the thread, and failures leave both the rangeset and
 * the published version exactly as they were.
 */
#include "twocpu.h"

static struct prs_thread th;
static PRS_POOL_DEFINE(pool, 8, 1, 16);
static struct prs_rangeset_entry storage[32];

static void setup_with(unsigned nregions, const struct prs_rangeset *const *outer, unsigned nouter)
{
	tc_init(nregions, pool, sizeof(pool), 0);
	PRS_CHECK_EQ(prs_thread_init(&th, &tc_sys, outer, nouter, storage, 32), PRS_OK);
}

static void setup(void)
{
	setup_with(16, NULL, 0);
}

static void t_grant_then_revoke(void)
{
	struct prs_range a = tc_range(0x10100000u, 0x2000u, PRS_EL1_R | PRS_EL0_R);

	setup();
	prs_switch(&tc_cpu[0], &th.h);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK_EQ(prs_thread_grant(&th, &a), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 1);       /* reloaded through the callback */
	PRS_CHECK_EQ(tc_mapped(1, a.base), 0);       /* CPU 1 does not run the thread */
	prs_switch(&tc_cpu[1], &th.h);
	PRS_CHECK_EQ(tc_mapped(1, a.base + 0x1FFFu), 1);
	PRS_CHECK_EQ(prs_thread_revoke(&th, a.base, a.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK_EQ(tc_mapped(1, a.base), 0);
	PRS_CHECK_EQ(tc_mpu[0].violations + tc_mpu[1].violations, 0);
}

/* Refcounted: a range granted twice stays mapped until revoked twice. */
static void t_refcount(void)
{
	struct prs_range a = tc_range(0x30100000u, 0x1000u, PRS_EL1_R);

	setup();
	prs_switch(&tc_cpu[0], &th.h);
	PRS_CHECK_EQ(prs_thread_grant(&th, &a), PRS_OK);
	PRS_CHECK_EQ(prs_thread_grant(&th, &a), PRS_OK);
	PRS_CHECK_EQ(prs_thread_revoke(&th, a.base, a.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 1);
	PRS_CHECK_EQ(prs_thread_revoke(&th, a.base, a.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
	PRS_CHECK_EQ(prs_thread_revoke(&th, a.base, a.size), PRS_E_NOENT);
}

/* The async revoke's ticket completes only after the CPU reloads. */
static void t_revoke_async(void)
{
	struct prs_range a = tc_range(0x10100000u, 0x1000u, PRS_EL1_R | PRS_EL1_W);
	struct prs_ticket tk;

	setup();
	prs_switch(&tc_cpu[0], &th.h);
	PRS_CHECK_EQ(prs_thread_grant(&th, &a), PRS_OK);
	tc_ipi_now = 0;
	PRS_CHECK_EQ(prs_thread_revoke_async(&th, a.base, a.size, &tk), PRS_OK);
	PRS_CHECK_EQ(tc_ipi_pending, 1u);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_E_AGAIN);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 1); /* still mapped: the CPU has not reloaded */
	prs_reload(&tc_cpu[0]);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a.base), 0);
}

/* Every failure: specific code, rangeset and published word untouched. */
static void t_failures_change_nothing(void)
{
	struct prs_range bad = tc_range(0x10100010u, 0x1000u, PRS_EL1_R);
	struct prs_range over_static = tc_range(0x1FFFF000u, 0x2000u, PRS_EL1_R);
	uint32_t w;
	unsigned n, i;

	setup();
	prs_switch(&tc_cpu[0], &th.h);
	w = atomic_load(&th.h.word);
	PRS_CHECK_EQ(prs_thread_grant(&th, &bad), PRS_E_ALIGN);
	PRS_CHECK_EQ(prs_thread_grant(&th, &over_static), PRS_E_STATIC);
	PRS_CHECK_EQ(th.h.own.n, 0);
	PRS_CHECK_EQ(atomic_load(&th.h.word), w);
	/* Fill the 12 dynamic slots with separated ranges, then one more. */
	for (i = 0; i < 12; i++) {
		struct prs_range r = tc_range(0x10100000u + i * 0x10000u, 0x1000u, PRS_EL1_R);

		PRS_CHECK_EQ(prs_thread_grant(&th, &r), PRS_OK);
	}
	w = atomic_load(&th.h.word);
	n = th.h.own.n;
	{
		struct prs_range r = tc_range(0x10100000u + i * 0x10000u, 0x1000u, PRS_EL1_R);

		PRS_CHECK_EQ(prs_thread_grant(&th, &r), PRS_E_NOSPACE);
		PRS_CHECK_EQ(tc_mapped(0, r.base), 0);
	}
	PRS_CHECK_EQ(th.h.own.n, n);
	PRS_CHECK_EQ(atomic_load(&th.h.word), w);
	PRS_CHECK_EQ(prs_thread_revoke(&th, 0x10100000u, 0x800u), PRS_E_PARTIAL);
	PRS_CHECK_EQ(atomic_load(&th.h.word), w);
	PRS_CHECK_EQ(tc_mapped(0, 0x10100000u + 11u * 0x10000u), 1);
	PRS_CHECK_EQ(tc_mpu[0].violations, 0);
}

/*
 * Invariant 9: a revoke never fails for lack of slots. Two free slots; a
 * domain partition D = [A, A + 0x300) RW, the thread's own T1 = [A, A + 0x100)
 * RO. T2 = [A + 0x100, A + 0x200) RO would fit (T1 and T2 merge: 2 regions)
 * but revoking T1 afterwards would need 3: the grant is refused up front,
 * with nothing changed, and every later revoke succeeds.
 */
static void t_revoke_never_fails(void)
{
	const uint64_t a = 0x10100000u;
	static struct prs_rangeset_entry dom_e[4];
	static struct prs_rangeset dom;
	static const struct prs_rangeset *outer[1] = { &dom };
	struct prs_range d = tc_range(a, 0x300u, PRS_EL1_R | PRS_EL1_W);
	struct prs_range t1 = tc_range(a, 0x100u, PRS_EL1_R);
	struct prs_range t2 = tc_range(a + 0x100u, 0x100u, PRS_EL1_R);
	struct prs_range t3 = tc_range(a + 0x200u, 0x100u, PRS_EL1_R);
	uint32_t w;

	PRS_CHECK_EQ(prs_rangeset_init(&dom, dom_e, 4, PRS_ARCH_AARCH32), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(&dom, &d), PRS_OK);
	setup_with(6, outer, 1); /* 4 statics: 2 dynamic slots */
	PRS_CHECK_EQ(prs_thread_grant(&th, &t1), PRS_OK);
	prs_switch(&tc_cpu[0], &th.h);
	w = atomic_load(&th.h.word);
	PRS_CHECK_EQ(prs_thread_grant(&th, &t2), PRS_E_UNREVOCABLE);
	PRS_CHECK_EQ(th.h.own.n, 1);
	PRS_CHECK_EQ(atomic_load(&th.h.word), w);
	/* T3 at the far end leaves T1 | D-middle | T3 = 3 regions: plain NOSPACE. */
	PRS_CHECK_EQ(prs_thread_grant(&th, &t3), PRS_E_NOSPACE);
	PRS_CHECK_EQ(atomic_load(&th.h.word), w);
	/* Removal always works, and the MPU shows it. */
	PRS_CHECK_EQ(prs_thread_revoke(&th, t1.base, t1.size), PRS_OK);
	PRS_CHECK_EQ(tc_mapped(0, a), 1); /* D again */
	PRS_CHECK_EQ(tc_mpu[0].violations, 0);
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_grant_then_revoke),
	PRS_TEST_ENTRY(t_refcount),
	PRS_TEST_ENTRY(t_revoke_async),
	PRS_TEST_ENTRY(t_failures_change_nothing),
	PRS_TEST_ENTRY(t_revoke_never_fails),
};

PRS_TEST_MAIN("sync.thread", tests)
