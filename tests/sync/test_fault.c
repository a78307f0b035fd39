/* SPDX-License-Identifier: MIT */
/*
 * prs_fault on oversized sets, observed through each CPU's host MPU model
 * (every mix of every batch checked for invariant 6): what the switch
 * loads, what a fault brings in and where (round robin), what it refuses
 * and that a refusal writes nothing, the cost of a fault-in, a republished
 * handle (the whole new version copied first), and revocation: a revoke's
 * ticket waits for a CPU that faulted a region in from the version it
 * revokes, and afterwards no CPU can fault the range back in.
 *
 * Layout (twocpu.h): 8 MPU regions, 4 static (64 KiB at 0x10000000,
 * 0x20000000, 0x30000000, 0x40000000), so K = 4 dynamic slots; capacity
 * 12: a thread's set holds up to 8 regions, twice the slots. The home gap
 * is gap 1 (0x10010000..0x1FFFFFFF). Test regions are 4 KiB, 64 KiB apart:
 * rb(GAP1, i) in the home gap, rb(GAP2, i) in gap 2, above the static
 * region at 0x20000000.
 */
#include <string.h>
#include "twocpu.h"
#include "prsched/region.h"
#include "prsched/testing.h"

#define NREG 8u
#define NST 4u
#define K (NREG - NST)
#define CAP (NREG + K)
#define SZ 0x1000u
#define GAP1 0x10100000u
#define GAP2 0x20100000u
#define RWRW (PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W)
#define RR (PRS_EL1_R | PRS_EL0_R)
#define RW (PRS_EL1_R | PRS_EL1_W)

static PRS_POOL_DEFINE(pool, 8, 1, CAP - NST);
static struct prs_thread th, th2;
static struct prs_rangeset_entry st1[16], st2[16];
static struct prs_set cur_buf;

static uint64_t rb(uint64_t gap, unsigned i)
{
	return gap + (uint64_t)i * 0x10000u;
}

static void setup(void)
{
	tc_init_cap(NREG, CAP, GAP1, pool, sizeof(pool), 0);
	PRS_CHECK_EQ(prs_thread_init(&th, &tc_sys, NULL, 0, st1, 16), PRS_OK);
	PRS_CHECK_EQ(prs_thread_init(&th2, &tc_sys, NULL, 0, st2, 16), PRS_OK);
}

static void grant(struct prs_thread *t, uint64_t base, unsigned perm)
{
	struct prs_range r = tc_range(base, SZ, (uint8_t)perm);

	PRS_CHECK_EQ(prs_thread_grant(t, &r), PRS_OK);
}

/* n regions rb(gap, first..first + n) with perm. */
static void grant_row(struct prs_thread *t, uint64_t gap, unsigned first, unsigned n,
		      unsigned perm)
{
	for (unsigned i = first; i < first + n; i++)
		grant(t, rb(gap, i), perm);
}

/* th holds rb(GAP1, 0..7), RWRW: twice what the dynamic slots hold; CPU k switches to it. */
static void setup_full(unsigned k)
{
	setup();
	grant_row(&th, GAP1, 0, CAP - NST, RWRW);
	prs_switch(&tc_cpu[k], &th.h);
}

/* h's current set, every region (resident or not), in the order the builder chose. */
static const struct prs_set *current(struct prs_handle *h)
{
	struct prs_version *v = prs_publish_begin(h);

	cur_buf = *prs_version_set(v, &tc_sys, 0);
	prs_publish_abort(h);
	return &cur_buf;
}

/* Index in s of the region starting at base, or 0 if none. */
static unsigned index_of(const struct prs_set *s, uint64_t base)
{
	for (unsigned i = s->nstatic; i < (unsigned)s->nstatic + s->ndyn; i++) {
		uint64_t b, l;

		if (prs_reg_span((enum prs_arch)s->arch, s->prbar[i], s->prlar[i], &b, &l) &&
		    b == base)
			return i;
	}
	return 0;
}

/* CPU k's MPU (in force) lets `access` through at addr: one region there, granting it. */
static int allows(unsigned k, uint64_t addr, unsigned access)
{
	const struct prs_mpu_model *m = &tc_mpu[k];
	unsigned slot = 0, n = prs_mpu_model_match(m, m->prbar, m->prlar, addr, &slot);

	PRS_CHECK(n <= 1u); /* never two regions over one address */
	return n == 1u && (prs_reg_perm(PRS_ARCH_AARCH32, m->prbar[slot]) & access) == access;
}

/* CPU k's MPU slot holds region i of s. */
static int slot_holds(unsigned k, unsigned slot, const struct prs_set *s, unsigned i)
{
	return tc_mpu[k].prbar[slot] == s->prbar[i] && tc_mpu[k].prlar[slot] == s->prlar[i];
}

/* CPU k's dynamic slots hold exactly what a switch to s loads: its first K regions. */
static int holds_first(unsigned k, const struct prs_set *s)
{
	unsigned end = (unsigned)s->nstatic + s->ndyn;

	if (tc_mpu[k].npend)
		return 0;
	for (unsigned i = NST; i < NREG; i++)
		if (i < end ? !slot_holds(k, i, s, i) : (tc_mpu[k].prlar[i] & 1u) != 0u)
			return 0;
	return 1;
}

/* No enabled slot of CPU k overlaps [base, base + SZ). */
static int nothing_over(unsigned k, uint64_t base)
{
	for (unsigned i = 0; i < NREG; i++) {
		struct prs_mpu_range r;

		if (prs_mpu_model_region(tc_mpu[k].arch, tc_mpu[k].prbar[i], tc_mpu[k].prlar[i], &r) &&
		    r.base < base + SZ && base <= r.limit)
			return 0;
	}
	return 1;
}

static void check_model_clean(unsigned k)
{
	if (tc_mpu[k].violations)
		prs_test_printf("  model: %s\n", tc_mpu[k].first_violation);
	PRS_CHECK_EQ(tc_mpu[k].violations, 0);
}

/* Counters of CPU k before a fault; the model's event log restarts. */
struct cnt {
	unsigned long writes, dsbs, isbs;
	uint32_t st_writes, st_bars, faults, fault_ins, loaded_w;
};

static struct cnt snap(unsigned k)
{
	const struct prs_cpu_stats *st = &tc_cpu[k].stats;
	struct cnt c = { tc_mpu[k].writes,
			 tc_mpu[k].dsbs,
			 tc_mpu[k].isbs,
			 atomic_load(&st->mpu_writes),
			 atomic_load(&st->barriers),
			 atomic_load(&st->faults),
			 atomic_load(&st->fault_ins),
			 atomic_load(&tc_cpu[k].rd.loaded_w) };

	tc_mpu[k].nlog = 0;
	tc_mpu[k].log[0] = 0;
	return c;
}

/*
 * Since b, one prs_fault on CPU k that wrote `writes` registers with
 * `bars` barriers (model and PRS_STATS counters agree), in the order
 * `log`, brought in one region iff it wrote anything, and left the loaded
 * version as it was.
 */
static void expect_cost(unsigned k, const struct cnt *b, unsigned writes, unsigned bars,
			const char *log)
{
	const struct prs_cpu_stats *st = &tc_cpu[k].stats;

	PRS_CHECK_EQ(tc_mpu[k].writes - b->writes, writes);
	PRS_CHECK_EQ(tc_mpu[k].dsbs + tc_mpu[k].isbs - b->dsbs - b->isbs, bars);
	PRS_CHECK_EQ(atomic_load(&st->mpu_writes) - b->st_writes, writes);
	PRS_CHECK_EQ(atomic_load(&st->barriers) - b->st_bars, bars);
	PRS_CHECK_EQ(atomic_load(&st->faults) - b->faults, 1);
	PRS_CHECK_EQ(atomic_load(&st->fault_ins) - b->fault_ins, writes ? 1u : 0u);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[k].rd.loaded_w), b->loaded_w);
	if (strcmp(tc_mpu[k].log, log) != 0) {
		prs_test_printf("  MPU events: got \"%s\", want \"%s\"\n", tc_mpu[k].log, log);
		PRS_CHECK(0);
	}
}

static int fault(unsigned k, struct prs_thread *t, uint64_t addr, unsigned access)
{
	return prs_fault(&tc_cpu[k], &t->h, addr, access);
}

/* A fault that must be refused and write nothing at all. */
static void expect_real(unsigned k, struct prs_thread *t, uint64_t addr, unsigned access)
{
	struct cnt b = snap(k);

	PRS_CHECK_EQ(fault(k, t, addr, access), PRS_FAULT_REAL);
	expect_cost(k, &b, 0, 0, "");
}

/*
 * The switch loads the first K regions; a fault on each other one brings
 * it into the round-robin victim slot with one blind pair (DSB, PRBAR,
 * PRLAR, ISB); the K most recent fault-ins stay resident; a second fault
 * on a resident region is not an MPU miss.
 */
static void t_switch_then_fault_in_round_robin(void)
{
	const struct prs_set *s;
	unsigned order[2 * K], n = 0;

	setup_full(0);
	s = current(&th.h);
	PRS_CHECK_EQ(s->ndyn, CAP - NST);
	PRS_CHECK(holds_first(0, s));
	/* only thread ranges: address order; the first K are resident */
	for (unsigned i = 0; i < CAP - NST; i++) {
		PRS_CHECK_EQ(index_of(s, rb(GAP1, i)), NST + i);
		PRS_CHECK_EQ(allows(0, rb(GAP1, i), PRS_EL0_W), i < K);
	}
	/* the non-resident ones, then the ones they evicted: two rounds of the victim cursor */
	for (unsigned r = 0; r < K; r++) {
		order[n] = K + r;
		order[n + K] = r;
		n++;
	}
	n = 2 * K;
	for (unsigned j = 0; j < n; j++) {
		unsigned i = order[j], victim = NST + j % K, evicted = j < K ? j : order[j - K];
		uint64_t addr = rb(GAP1, i) + (j & 1u ? SZ - 1u : 0x40u); /* last byte too */
		struct cnt b = snap(0);

		PRS_CHECK(!allows(0, addr, PRS_EL0_W));
		PRS_CHECK_EQ(fault(0, &th, addr, PRS_EL0_W), PRS_FAULT_RETRY);
		expect_cost(0, &b, 2, 2, "DBLI");
		PRS_CHECK(allows(0, addr, PRS_EL0_W));
		PRS_CHECK(slot_holds(0, victim, s, NST + i));
		/* FIFO: the last min(j + 1, K) fault-ins are all resident */
		for (unsigned p = j + 1u > K ? j + 1u - K : 0u; p <= j; p++)
			PRS_CHECK(allows(0, rb(GAP1, order[p]), PRS_EL0_W));
		PRS_CHECK(nothing_over(0, rb(GAP1, evicted)));
		/* again, resident now: not an MPU miss */
		expect_real(0, &th, addr, PRS_EL0_W);
	}
	/* the region's first byte past its end is in no region */
	expect_real(0, &th, rb(GAP1, order[n - 1u]) + SZ, PRS_EL0_R);
	PRS_CHECK(tc_mpu[0].batches_checked > 0);
	check_model_clean(0);
}

/*
 * Refusals write nothing: an address in no region, in a static region, or
 * an access the region does not grant. Each refused access is then granted
 * when asked for what the region does allow (so the refusal was about the
 * access, not the region). The regions are non-resident, so the answer
 * comes from the look-up, not from "already resident".
 */
static void t_refusals_write_nothing(void)
{
	setup();
	grant_row(&th, GAP1, 0, K, RWRW);
	grant(&th, rb(GAP1, 4), RR);                  /* read-only both */
	grant(&th, rb(GAP1, 5), RW);                  /* EL1 only */
	grant(&th, rb(GAP1, 6), RR | PRS_EXEC);       /* executable */
	grant(&th, rb(GAP1, 7), RWRW);                /* XN */
	prs_switch(&tc_cpu[1], &th.h);
	PRS_CHECK(holds_first(1, current(&th.h)));
	expect_real(1, &th, rb(GAP1, 0) + SZ, PRS_EL0_R);  /* between regions */
	expect_real(1, &th, 0x00001000u, PRS_EL1_R);       /* below everything */
	expect_real(1, &th, 0x50000000u, PRS_EL0_R);       /* above everything */
	expect_real(1, &th, rb(GAP1, 4) + 0x100000000ull, PRS_EL0_R); /* not truncated to 32 bits */
	expect_real(1, &th, 0x20000040u, PRS_EL0_R);       /* static region */
	expect_real(1, &th, 0x2000FFFFu, PRS_EL1_W);       /* static region, last byte */
	expect_real(1, &th, rb(GAP1, 4), PRS_EL0_W);       /* EL0 write to read-only */
	expect_real(1, &th, rb(GAP1, 4), PRS_EL1_W);       /* EL1 write to read-only */
	expect_real(1, &th, rb(GAP1, 5), PRS_EL0_R);       /* EL0 read of EL1-only */
	expect_real(1, &th, rb(GAP1, 7), PRS_EL0_R | PRS_EXEC); /* exec on XN */
	expect_real(1, &th, rb(GAP1, 4) + 0x80u, PRS_EL0_R | PRS_EXEC);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 4), PRS_EL0_R), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 5), PRS_EL1_W), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 6), PRS_EL0_R | PRS_EXEC), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 7), PRS_EL0_W), PRS_FAULT_RETRY);
	/* still refused once resident, and nothing written */
	expect_real(1, &th, rb(GAP1, 4), PRS_EL0_W);
	expect_real(1, &th, rb(GAP1, 7), PRS_EXEC);
	check_model_clean(1);
}

/*
 * A set with a region outside the home gap: each fault-in is ordered (the
 * register whose cross pair stays inside a region first, ISB, then the
 * pair): 3 writes, 3 barriers, and no mix of any batch reaches static
 * memory. Up: PRBAR first; down: PRLAR first.
 */
static void t_fault_in_ordered_when_away(void)
{
	const struct prs_set *s;

	setup();
	grant_row(&th, GAP1, 0, K, RWRW); /* resident: the lowest addresses */
	grant_row(&th, GAP2, 0, K, RWRW); /* gap 2: above the static region at 0x20000000 */
	prs_switch(&tc_cpu[0], &th.h);
	s = current(&th.h);
	PRS_CHECK(holds_first(0, s));
	for (unsigned i = 0; i < K; i++) {
		struct cnt b = snap(0);

		PRS_CHECK_EQ(fault(0, &th, rb(GAP2, i), PRS_EL0_R), PRS_FAULT_RETRY);
		expect_cost(0, &b, 3, 3, "DBIBLI"); /* moves up across 0x20000000 */
		PRS_CHECK(allows(0, rb(GAP2, i), PRS_EL0_R));
	}
	for (unsigned i = 0; i < K; i++) {
		struct cnt b = snap(0);

		PRS_CHECK_EQ(fault(0, &th, rb(GAP1, i), PRS_EL0_R), PRS_FAULT_RETRY);
		expect_cost(0, &b, 3, 3, "DLIBLI"); /* and back down */
		PRS_CHECK(allows(0, rb(GAP1, i), PRS_EL0_R));
	}
	prs_test_printf("  model: %lu batches, %lu mixes checked\n", tc_mpu[0].batches_checked,
			tc_mpu[0].states_checked);
	check_model_clean(0);
}

/*
 * The check can fail: the same fault-in written blind (PRS_TEST_ALWAYS_BLIND)
 * lets a mix of old base and new limit (or the reverse) span the static
 * region between the two gaps; the model must report it. And a set whose
 * regions all lie in the home gap takes the blind pair legitimately.
 */
static void t_model_catches_blind_fault_in(void)
{
	setup();
	grant_row(&th, GAP1, 0, K, RWRW);
	grant_row(&th, GAP2, 0, K, RWRW);
	prs_switch(&tc_cpu[0], &th.h);
	check_model_clean(0);
	prs_test_cpu[0].flags = PRS_TEST_ALWAYS_BLIND;
	PRS_CHECK_EQ(fault(0, &th, rb(GAP2, 0), PRS_EL0_R), PRS_FAULT_RETRY);
	prs_test_cpu[0].flags = 0;
	PRS_CHECK(allows(0, rb(GAP2, 0), PRS_EL0_R)); /* the end state is right */
	PRS_CHECK(tc_mpu[0].violations > 0);
	prs_test_printf("  caught: %s\n", tc_mpu[0].first_violation);
}

/*
 * A republished handle the CPU has not reloaded yet (its IPI pending
 * behind masked IRQs): prs_fault copies the whole new version first, so
 * the MPU never mixes versions, records it as loaded (the ticket completes
 * without a reload, and the reload then copies nothing), and answers from
 * it: RETRY for a region it granted, REAL for a revoked one.
 */
static void t_republished_copies_whole_version(void)
{
	struct prs_range y = tc_range(rb(GAP1, 0) - 0x80000u, SZ, RWRW); /* lowest: resident */
	struct prs_range z = tc_range(rb(GAP1, 12), SZ, RWRW);           /* highest: not */
	struct prs_range r1 = tc_range(rb(GAP1, 1), SZ, RWRW);
	struct prs_ticket tk;
	uint32_t reloads;
	const struct prs_set *s;
	unsigned away = 0, zs = 0;

	setup_full(1);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 5), PRS_EL0_R), PRS_FAULT_RETRY); /* a victim */
	tc_ipi_now = 0;

	/* 1. grant y + revoke R1 in one publish; fault on y */
	PRS_CHECK_EQ(prs_thread_update(&th, &y, 1, &r1, 1, &tk), PRS_OK);
	PRS_CHECK_EQ(tk.mask, 2u);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_E_AGAIN);
	PRS_CHECK(allows(1, r1.base, PRS_EL0_R)); /* the old version is still in force */
	reloads = atomic_load(&tc_cpu[1].stats.reload_copies);
	PRS_CHECK_EQ(fault(1, &th, y.base, PRS_EL0_R), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[1].rd.loaded_w), atomic_load(&th.h.word));
	s = current(&th.h);
	PRS_CHECK(holds_first(1, s)); /* the fault-in of R5 is gone with the old version */
	PRS_CHECK(allows(1, y.base, PRS_EL0_R));
	PRS_CHECK(nothing_over(1, r1.base));
	PRS_CHECK(nothing_over(1, rb(GAP1, 5)));
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);
	prs_reload(&tc_cpu[1]); /* the late IPI: nothing left to copy */
	PRS_CHECK_EQ(atomic_load(&tc_cpu[1].stats.reload_copies), reloads);
	expect_real(1, &th, r1.base, PRS_EL0_R);

	/* 2. revoke a resident region; the first fault after it is on that range */
	PRS_CHECK_EQ(prs_thread_revoke_async(&th, rb(GAP1, 2), SZ, &tk), PRS_OK);
	PRS_CHECK(allows(1, rb(GAP1, 2), PRS_EL0_R));
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 2), PRS_EL0_R), PRS_FAULT_REAL);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[1].rd.loaded_w), atomic_load(&th.h.word));
	PRS_CHECK(holds_first(1, current(&th.h)));
	PRS_CHECK(nothing_over(1, rb(GAP1, 2)));
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);

	/* 3. grant a region that is not resident in the new version: copy, then fault-in */
	PRS_CHECK_EQ(prs_thread_grant_async(&th, &z, &tk), PRS_OK);
	PRS_CHECK_EQ(fault(1, &th, z.base, PRS_EL0_W), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[1].rd.loaded_w), atomic_load(&th.h.word));
	PRS_CHECK(allows(1, z.base, PRS_EL0_W));
	s = current(&th.h);
	for (unsigned i = NST; i < NREG; i++) {
		if (slot_holds(1, i, s, index_of(s, z.base)))
			zs++;
		else if (!slot_holds(1, i, s, i))
			away++;
	}
	PRS_CHECK_EQ(zs, 1);   /* z in one victim slot */
	PRS_CHECK_EQ(away, 0); /* every other slot what the new version's switch loads */
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);
	tc_ipi_now = 1;
	check_model_clean(1);
}

/* One-shot hook: at `at` on the faulting CPU, CPU 0 revokes [base, base + SZ) from th. */
struct revoke_at {
	enum prs_hook_point at;
	uint64_t base;
	int fired, rc, announced;
	struct prs_ticket tk;
};

static void revoke_hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	struct revoke_at *x = arg;

	if (p != x->at || x->fired)
		return;
	x->fired = 1;
	x->announced = atomic_load(&tc_cpu[cpu].rd.ann_h) == &th.h;
	tc_ipi_now = 0; /* the faulting CPU has IRQs masked: its reload IPI stays pending */
	x->rc = prs_thread_revoke_async(&th, x->base, SZ, &x->tk);
}

/* CPU 1 faults on R5 (not resident) while CPU 0 revokes it at hook point `at`. */
static int fault_during_revoke(enum prs_hook_point at, struct revoke_at *x)
{
	int rc;

	x->at = at;
	x->base = rb(GAP1, 5);
	x->fired = 0;
	prs_test_cpu[1].hook = revoke_hook;
	prs_test_cpu[1].arg = x;
	rc = fault(1, &th, x->base, PRS_EL0_R);
	prs_test_cpu[1].hook = NULL;
	PRS_CHECK(x->fired);
	PRS_CHECK(x->announced);
	PRS_CHECK_EQ(x->rc, PRS_OK);
	PRS_CHECK_EQ(x->tk.mask, 2u); /* CPU 1 only: CPU 0 never ran th */
	return rc;
}

/* After the ticket: CPU 1 holds nothing over the revoked range and cannot fault it back. */
static void revoked_for_good(struct revoke_at *x)
{
	PRS_CHECK_EQ(prs_ticket_poll(&x->tk), PRS_OK);
	PRS_CHECK(nothing_over(1, x->base));
	expect_real(1, &th, x->base, PRS_EL0_R);
	PRS_CHECK(nothing_over(0, x->base));
	tc_ipi_now = 1;
	check_model_clean(0);
	check_model_clean(1);
}

/*
 * The revoke waits for the fault path. CPU 1 has announced th and pinned
 * the version it holds (PRS_HOOK_READ_W2; or later: region written but
 * loaded_* not stored, PRS_HOOK_COPIED; loaded_* stored but the announce
 * not ended, PRS_HOOK_DONE) when CPU 0 revokes R5: the fault brings R5 in
 * from the pinned version -- legitimately, it was granted when the fault
 * read the word -- and the revoke's ticket must not complete until CPU 1
 * reloads; after that R5 is gone and cannot come back.
 */
static void t_revoke_waits_for_pinned_fault(void)
{
	static const enum prs_hook_point at[3] = { PRS_HOOK_READ_W2, PRS_HOOK_COPIED,
						   PRS_HOOK_DONE };
	static struct revoke_at x;

	for (unsigned i = 0; i < 3; i++) {
		setup_full(1);
		PRS_CHECK_EQ(fault_during_revoke(at[i], &x), PRS_FAULT_RETRY);
		PRS_CHECK(allows(1, x.base, PRS_EL0_R)); /* faulted in from the pinned version */
		PRS_CHECK_EQ(prs_ticket_poll(&x.tk), PRS_E_AGAIN);
		PRS_CHECK_EQ(prs_ticket_poll(&x.tk), PRS_E_AGAIN); /* polling alone never ends it */
		PRS_CHECK_EQ(tc_ipi_pending, 2u);
		prs_reload(&tc_cpu[1]); /* the IPI, once IRQs are unmasked */
		revoked_for_good(&x);
	}
}

/*
 * The same revoke a step earlier (announced, the word not read again yet):
 * the fault reads the new version, copies it, and refuses the range; the
 * ticket completes without a reload.
 */
static void t_revoke_before_pin_is_seen(void)
{
	static struct revoke_at x;

	setup_full(1);
	PRS_CHECK_EQ(fault_during_revoke(PRS_HOOK_ANNOUNCED, &x), PRS_FAULT_REAL);
	PRS_CHECK(nothing_over(1, x.base));
	PRS_CHECK(holds_first(1, current(&th.h)));
	revoked_for_good(&x);
}

/*
 * A CPU that does not hold th (it runs th2) faults for th: prs_fault loads
 * th and must say so (loaded_*), or a revoke would not wait for it. Once
 * while the revoke runs inside the fault (only the announce tells the
 * writer), once after (only the loaded words do).
 */
static void t_fault_records_what_it_loaded(void)
{
	static struct revoke_at x;
	struct prs_ticket tk;

	setup();
	grant_row(&th, GAP1, 0, CAP - NST, RWRW);
	grant(&th2, rb(GAP2, 0), RWRW);
	prs_switch(&tc_cpu[1], &th2.h);
	PRS_CHECK_EQ(prs_handle_busy(&th.h), 0u);
	PRS_CHECK_EQ(fault_during_revoke(PRS_HOOK_READ_W2, &x), PRS_FAULT_RETRY);
	PRS_CHECK(allows(1, x.base, PRS_EL0_R));
	PRS_CHECK(atomic_load(&tc_cpu[1].rd.loaded_h) == &th.h);
	PRS_CHECK_EQ(prs_handle_busy(&th.h), 2u);
	PRS_CHECK_EQ(prs_handle_busy(&th2.h), 0u);
	PRS_CHECK_EQ(prs_ticket_poll(&x.tk), PRS_E_AGAIN);
	prs_reload(&tc_cpu[1]);
	revoked_for_good(&x);

	/* a fault outside any revoke, then the revoke */
	prs_switch(&tc_cpu[1], &th2.h);
	PRS_CHECK_EQ(prs_handle_busy(&th.h), 0u);
	PRS_CHECK_EQ(fault(1, &th, rb(GAP1, 6), PRS_EL0_R), PRS_FAULT_RETRY);
	PRS_CHECK_EQ(prs_handle_busy(&th.h), 2u);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[1].rd.loaded_w), atomic_load(&th.h.word));
	tc_ipi_now = 0;
	PRS_CHECK_EQ(prs_thread_revoke_async(&th, rb(GAP1, 6), SZ, &tk), PRS_OK);
	PRS_CHECK_EQ(tk.mask, 2u);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_E_AGAIN);
	PRS_CHECK(allows(1, rb(GAP1, 6), PRS_EL0_R)); /* until the reload */
	prs_reload(&tc_cpu[1]);
	PRS_CHECK_EQ(prs_ticket_poll(&tk), PRS_OK);
	PRS_CHECK(nothing_over(1, rb(GAP1, 6)));
	expect_real(1, &th, rb(GAP1, 6), PRS_EL0_R);
	tc_ipi_now = 1;
	check_model_clean(1);
}

/*
 * The synchronous revoke after fault-ins on both CPUs: when it returns,
 * neither CPU maps the range nor can fault it back in; the rest of the set
 * still faults in.
 */
static void t_sync_revoke_after_fault_ins(void)
{
	setup();
	grant_row(&th, GAP1, 0, CAP - NST, RWRW);
	for (unsigned k = 0; k < TC_NCPU; k++) {
		prs_switch(&tc_cpu[k], &th.h);
		PRS_CHECK_EQ(fault(k, &th, rb(GAP1, 6), PRS_EL0_W), PRS_FAULT_RETRY);
		PRS_CHECK(allows(k, rb(GAP1, 6), PRS_EL0_W));
	}
	PRS_CHECK_EQ(prs_thread_revoke(&th, rb(GAP1, 6), SZ), PRS_OK);
	for (unsigned k = 0; k < TC_NCPU; k++) {
		PRS_CHECK(nothing_over(k, rb(GAP1, 6)));
		expect_real(k, &th, rb(GAP1, 6), PRS_EL0_W);
		PRS_CHECK_EQ(fault(k, &th, rb(GAP1, 7), PRS_EL0_W), PRS_FAULT_RETRY);
		check_model_clean(k);
	}
}

/*
 * Hottest first through the thread API: the thread's own ranges (its
 * innermost layer) are resident after the switch although an outer layer
 * holds lower addresses; the outer ones fault in.
 */
static void t_own_layer_resident_first(void)
{
	static struct prs_rangeset_entry oe[8];
	static struct prs_rangeset outer;
	static const struct prs_rangeset *outers[1] = { &outer };

	tc_init_cap(NREG, CAP, GAP1, pool, sizeof(pool), 0);
	PRS_CHECK_EQ(prs_rangeset_init(&outer, oe, 8, PRS_ARCH_AARCH32), PRS_OK);
	for (unsigned i = 0; i < K; i++) {
		struct prs_range r = tc_range(rb(GAP1, i), SZ, RR);

		PRS_CHECK_EQ(prs_rangeset_add(&outer, &r), PRS_OK);
	}
	PRS_CHECK_EQ(prs_thread_init(&th, &tc_sys, outers, 1, st1, 16), PRS_OK);
	grant_row(&th, GAP1, 8, K, RWRW);
	prs_switch(&tc_cpu[0], &th.h);
	PRS_CHECK(holds_first(0, current(&th.h)));
	for (unsigned i = 0; i < K; i++) {
		PRS_CHECK(allows(0, rb(GAP1, 8 + i), PRS_EL0_W));
		PRS_CHECK(!allows(0, rb(GAP1, i), PRS_EL0_R));
		PRS_CHECK_EQ(fault(0, &th, rb(GAP1, i), PRS_EL0_R), PRS_FAULT_RETRY);
		expect_real(0, &th, rb(GAP1, i), PRS_EL0_W); /* read-only */
	}
	check_model_clean(0);
}

/*
 * Random grants, revokes, switches and accesses of two threads on two CPUs
 * (some regions in gap 2, so some fault-ins are ordered). An access is
 * what a CPU does: if its MPU lets it through, the thread's current set
 * must grant it; else the fault must return RETRY exactly when the set
 * grants it, and the access then goes through. After every step: no
 * violation in any mix, and every enabled dynamic slot holds a region of
 * the current version of the handle the CPU has loaded (nothing stale).
 */
#define NCAND 12u
static const uint8_t cand_perm[4] = { RWRW, RR, RW, RR | PRS_EXEC };
static const uint8_t accesses[5] = { PRS_EL0_R, PRS_EL0_W, PRS_EL1_R, PRS_EL1_W,
				     PRS_EL0_R | PRS_EXEC };

static uint64_t cand_base(unsigned c)
{
	return c < 8u ? rb(GAP1, c) : rb(GAP2, c - 8u);
}

static void check_no_stale(unsigned k)
{
	struct prs_handle *h = atomic_load(&tc_cpu[k].rd.loaded_h);
	const struct prs_set *s;

	if (!h)
		return;
	s = current(h);
	PRS_CHECK_EQ(atomic_load(&tc_cpu[k].rd.loaded_w), atomic_load(&h->word));
	for (unsigned i = NST; i < NREG; i++) {
		unsigned found = 0;

		if (!(tc_mpu[k].prlar[i] & 1u))
			continue;
		for (unsigned j = NST; j < (unsigned)NST + s->ndyn; j++)
			found += (unsigned)slot_holds(k, i, s, j);
		PRS_CHECK_EQ(found, 1);
	}
}

/*
 * CPU k, running t, makes `a` at addr; t's set grants it iff want. n[0]
 * counts faults, n[1] those retried.
 */
static void cpu_access(unsigned k, struct prs_thread *t, uint64_t addr, unsigned a, int want,
		       unsigned *n)
{
	if (allows(k, addr, a)) {
		PRS_CHECK(want); /* the MPU must not let through what the set does not grant */
		return;
	}
	n[0]++;
	PRS_CHECK_EQ(fault(k, t, addr, a), want ? PRS_FAULT_RETRY : PRS_FAULT_REAL);
	PRS_CHECK_EQ(allows(k, addr, a), want); /* the retried access goes through */
	n[1] += (unsigned)want;
}

static void t_random(void)
{
	struct prs_thread *ts[2] = { &th, &th2 };
	uint32_t present[2] = { 0, 0 };
	unsigned npresent[2] = { 0, 0 };
	unsigned running[TC_NCPU] = { 0, 0 }, n[2] = { 0, 0 };
	uint64_t rng = prs_test_seed();

	setup();
	for (unsigned k = 0; k < TC_NCPU; k++)
		prs_switch(&tc_cpu[k], &th.h);
	for (unsigned it = 0; it < 3000 && !prs_test_failed(); it++) {
		unsigned t = (unsigned)prs_rand_below(&rng, 2), c = (unsigned)prs_rand_below(&rng, NCAND);
		unsigned k = (unsigned)prs_rand_below(&rng, TC_NCPU);
		int held = prs_rand_below(&rng, 2) && npresent[running[k]];
		struct prs_range r;

		/* half the accesses: one the running thread's set grants */
		if (held)
			while (!(present[running[k]] & (1u << c)))
				c = (unsigned)prs_rand_below(&rng, NCAND);
		r = tc_range(cand_base(c), SZ, cand_perm[c % 4u]);

		switch (prs_rand_below(&rng, 8)) {
		case 0:
		case 1: /* grant */
			if (present[t] & (1u << c))
				break;
			if (npresent[t] == CAP - NST) {
				PRS_CHECK_EQ(prs_thread_grant(ts[t], &r), PRS_E_NOSPACE);
				break;
			}
			PRS_CHECK_EQ(prs_thread_grant(ts[t], &r), PRS_OK);
			present[t] |= 1u << c;
			npresent[t]++;
			break;
		case 2: /* revoke */
			if (!(present[t] & (1u << c)))
				break;
			PRS_CHECK_EQ(prs_thread_revoke(ts[t], r.base, SZ), PRS_OK);
			present[t] &= ~(1u << c);
			npresent[t]--;
			break;
		case 3: /* switch */
			prs_switch(&tc_cpu[k], &ts[t]->h);
			running[k] = t;
			break;
		default: { /* an access by the thread running on k */
			unsigned a = accesses[prs_rand_below(&rng, 5)];

			while (held && (cand_perm[c % 4u] & a) != a)
				a = accesses[prs_rand_below(&rng, 5)];
			cpu_access(k, ts[running[k]], r.base + 0x40u * prs_rand_below(&rng, SZ / 0x40u), a,
			       (present[running[k]] & (1u << c)) && (cand_perm[c % 4u] & a) == a, n);
			break;
		}
		}
		for (unsigned j = 0; j < TC_NCPU; j++) {
			check_no_stale(j);
			check_model_clean(j);
		}
	}
	prs_test_printf("  %u faults, %u retried; model: %lu batches, %lu mixes checked\n",
			n[0], n[1], tc_mpu[0].batches_checked + tc_mpu[1].batches_checked,
			tc_mpu[0].states_checked + tc_mpu[1].states_checked);
	PRS_CHECK(n[1] > 100 && n[0] - n[1] > 100); /* both answers exercised */
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_switch_then_fault_in_round_robin),
	PRS_TEST_ENTRY(t_refusals_write_nothing),
	PRS_TEST_ENTRY(t_fault_in_ordered_when_away),
	PRS_TEST_ENTRY(t_model_catches_blind_fault_in),
	PRS_TEST_ENTRY(t_republished_copies_whole_version),
	PRS_TEST_ENTRY(t_revoke_waits_for_pinned_fault),
	PRS_TEST_ENTRY(t_revoke_before_pin_is_seen),
	PRS_TEST_ENTRY(t_fault_records_what_it_loaded),
	PRS_TEST_ENTRY(t_sync_revoke_after_fault_ins),
	PRS_TEST_ENTRY(t_own_layer_resident_first),
	PRS_TEST_ENTRY(t_random),
};

PRS_TEST_MAIN("sync.fault", tests)
