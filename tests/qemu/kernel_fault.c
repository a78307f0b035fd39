/* SPDX-License-Identifier: MIT */
/*
 * Oversized sets on target: more regions than MPU slots, brought in on a
 * fault (prs_fault from prs_kernel's abort hook), revocation still
 * synchronous.
 *
 * The kernel's layout allows sets of twice its region count
 * (prs_k_config.capacity). Threads A (core 0) and B (the last core) each
 * own a grid of 2 x (dynamic slots) cells: 64-byte private partitions in
 * one page, even cells EL0 read-write, odd cells EL0 read-only (adjacent
 * cells differ, so none merge), plus a mailbox domain page, the stack and
 * the thread code: 27 regions for 12 slots on QEMU's R52. The switch loads
 * the hottest 12 (the own layer: cells first); everything else -- cells,
 * stack, mailbox, code -- comes in on a data or prefetch abort.
 *
 * Round after round each thread sweeps its grid (a load of every odd cell,
 * a load + store of every even one, each cell twice in a row), then, as
 * the other thread's writer, grants back the two cells of the other grid
 * it revoked last round and revokes two others (prs_k_revoke_sys /
 * prs_k_grant_sys: rebuild, publish, reload IPI, ticket wait). On two
 * cores the revokes run while the owner sweeps; on one core (the
 * deterministic variant) the threads alternate by yielding, and the switch
 * of an oversized set loads it.
 *
 * Every access runs in a window of one asm block that touches no other
 * memory: PRS_K_SYS_COUNTS (opens it), TIME, the access, TIME, COUNTS
 * (what happened in between: real faults, data and exec fault-ins, and
 * events -- IRQs, switches, reloads, publishes of its set -- that may
 * rewrite the MPU). The writer bumps a cell's generation before and after
 * each call (even: stable; gen % 4 == 0 granted, 2 revoked), so the owner
 * knows the state for certain when it reads the same even generation
 * before and after the window. Then:
 *   - granted: the access succeeds (no real fault) and sees the right data
 *     (the odd cells' tags, the even cells' last store): a fault-in that
 *     did not re-run the instruction leaves the default value;
 *   - revoked: every instruction of it is a real fault (the kernel logs it
 *     and skips it), and nothing was brought in. A revoked access that
 *     succeeds is an escape;
 *   - without events, at most one data fault-in per access (one region,
 *     round-robin replacement keeps it while the code comes back in), and
 *     the second access of the pair, with no event since the first, none;
 *   - a store to a read-only cell is always a real fault with no fault-in
 *     (a handler that decoded it as a load would bring the cell in first),
 *     and so is a call into a cell (XN; a prefetch abort, the thread
 *     resumes at its lr).
 * Windows whose generation moved are racing: counted, data checked only
 * for plausibility. The kernel's fault log must hold exactly the real
 * faults the windows counted.
 *
 * Also measured (virtual time under -icount: 1 instruction = 1 ns): the
 * whole trap round trip of a fault-in (abort entry, the hook, prs_fault,
 * the return, the load again) and of a real fault, as the mean of clean
 * load windows that took one minus the mean of those that took none. The
 * one-core run is the clean figure: on two cores under -icount a window
 * may also hold the other core's instructions.
 *
 * Runs: qemu_kernel_fault (two cores, -icount: one host thread, the cores
 * take turns at yield points, so a revoke's odd generation spans many of
 * the owner's windows), qemu_kernel_fault_smp1 (one core, repeatable to the
 * count) and qemu_kernel_fault_mttcg (real parallelism, the fenced library:
 * see kernel_republish.c for why). Limitation, as in kernel_republish: QEMU
 * raises an SGI at once, so a revoke that returned without waiting for its
 * ticket would likely pass here too; the ticket and the fault path's
 * revocation argument are the host tests' and the Promela model's.
 */
#include <stdatomic.h>
#include <string.h>

#include "kernel_test.h"

#ifndef KT_ROUNDS
#define KT_ROUNDS 300u
#endif
#define KT_MAX_CELLS 28u /* private partitions besides the stack and guard */
#define KT_CELL 64u      /* the MPU granule: every cell its own region */
#define KT_TOGGLE 2u     /* cells of the other grid revoked per round */
#define KT_DFLT 0xdeadbeefu
#define KT_PERM_RO (PRS_EL1_R | PRS_EL0_R)

_Static_assert(KT_MAX_CELLS <= PRS_K_PRIV_CAP, "the grid is the thread's private partitions");

enum kt_kind { KT_LOAD, KT_RMW, KT_STORE, KT_CALL };

/* Per-thread results, written by the thread, read by main after prs_k_run. */
struct kt_tally {
	uint32_t accesses, granted, revoked, racing, disturbed;
	uint32_t fault_ins, exec_ins, real;
	uint32_t escapes, revoked_ins, granted_real, multi, repeats, repeat_checked;
	uint32_t perm_err, exec_err, data_err, call_err, revokes, grants;
	uint32_t miss_n, miss_ticks, hit_n, hit_ticks, real_n, real_ticks;
};

/* One thread, its grid, and the generations its writer (the other thread) keeps. */
struct kt_side {
	uint32_t grid, ncells, rounds, index, tid;
	struct kt_side *other;
	_Atomic uint32_t gen[KT_MAX_CELLS]; /* stored by the other thread only */
	uint32_t last[KT_MAX_CELLS];        /* even cells: the owner's last store */
	uint32_t known;                     /* bit i: cell i holds last[i] */
	uint32_t held[KT_TOGGLE];           /* cells of the other grid this one revoked */
	uint32_t nheld;
	struct kt_tally t;
};

/* What one window saw. */
struct kt_window {
	uint32_t v;     /* the load's result, KT_DFLT if it was a real fault */
	uint32_t ticks; /* CNTPCT ticks from before the access to after it */
	uint32_t gap;   /* events since the previous window closed */
	struct prs_k_counts c;
};

/*
 * COUNTS, TIME, access, TIME, COUNTS in one block: nothing but the access
 * touches memory in between (a spill to the stack could fault too).
 */
#define KT_PROBE(access)                                                                  \
	__asm__ volatile("svc %[counts]\n\tmov %[gap], r3\n\tsvc %[time]\n\tmov %[t0], r0\n\t" \
			 access "svc %[time]\n\tmov %[t1], r0\n\tsvc %[counts]"               \
			 : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3), [gap] "=&r"(gap),       \
			   [t0] "=&r"(t0), [t1] "=r"(t1), [v] "+&r"(v)                         \
			 : [a] "r"(a), [w] "r"(wv), [counts] "i"(PRS_K_SYS_COUNTS),            \
			   [time] "i"(PRS_K_SYS_TIME)                                          \
			 : "r12", "lr", "memory", "cc")

PRS_K_USER static void kt_probe(unsigned kind, uintptr_t a, uint32_t wv, struct kt_window *out)
{
	register uint32_t r0 __asm__("r0");
	register uint32_t r1 __asm__("r1");
	register uint32_t r2 __asm__("r2");
	register uint32_t r3 __asm__("r3");
	uint32_t gap, t0, t1, v = KT_DFLT;

	switch (kind) {
	case KT_LOAD:
		KT_PROBE("ldr %[v], [%[a]]\n\t");
		break;
	case KT_RMW:
		KT_PROBE("ldr %[v], [%[a]]\n\tstr %[w], [%[a]]\n\t");
		break;
	case KT_STORE:
		KT_PROBE("str %[w], [%[a]]\n\t");
		break;
	default:
		KT_PROBE("blx %[a]\n\t");
		break;
	}
	out->v = v;
	out->ticks = t1 - t0;
	out->gap = gap;
	out->c.faults = r0;
	out->c.fault_ins = r1;
	out->c.exec_ins = r2;
	out->c.events = r3;
}

PRS_K_USER static uint32_t kt_gen(struct kt_side *s, uint32_t i)
{
	/* Acquire: pairs with the writer's release; the call it names has returned. */
	return atomic_load_explicit(&s->gen[i], memory_order_acquire);
}

/* What read-only cell i of side `index` holds (main writes it before the run). */
#define KT_TAG(index, i) (0xc0de0000u | ((index) << 8) | (i))

/* A granted access: no real fault, the right data. */
PRS_K_USER static void kt_granted(struct kt_side *s, uint32_t i, unsigned kind, uint32_t wv,
				  const struct kt_window *w)
{
	struct kt_tally *t = &s->t;
	uint32_t bit = 1u << i;

	t->granted++;
	t->granted_real += w->c.faults != 0;
	if (kind == KT_LOAD) {
		t->data_err += w->v != KT_TAG(s->index, i);
	} else {
		t->data_err += (s->known & bit) && w->v != s->last[i];
		s->last[i] = wv;
		s->known = w->c.faults ? s->known & ~bit : s->known | bit;
	}
	if (kind == KT_LOAD && !w->c.events && !w->c.exec_ins && !w->c.faults) {
		if (w->c.fault_ins == 1u) {
			t->miss_n++;
			t->miss_ticks += w->ticks;
		} else if (w->c.fault_ins == 0u) {
			t->hit_n++;
			t->hit_ticks += w->ticks;
		}
	}
}

/* A revoked access: every instruction a real fault, nothing brought in. */
PRS_K_USER static void kt_revoked(struct kt_side *s, unsigned kind, const struct kt_window *w)
{
	struct kt_tally *t = &s->t;

	t->revoked++;
	t->escapes += w->c.faults != (kind == KT_RMW ? 2u : 1u);
	t->revoked_ins += w->c.fault_ins != 0;
	if (kind == KT_LOAD && !w->c.events && !w->c.exec_ins && w->c.faults == 1u) {
		t->real_n++;
		t->real_ticks += w->ticks;
	}
}

/* The generation moved: either outcome is right; the store may or may not have landed. */
PRS_K_USER static void kt_racing(struct kt_side *s, uint32_t i, unsigned kind,
				 const struct kt_window *w)
{
	s->t.racing++;
	if (kind == KT_LOAD)
		s->t.data_err += w->v != KT_TAG(s->index, i) && w->v != KT_DFLT;
	else
		s->known &= ~(1u << i);
}

/* One access to cell i; 1 if it was a granted one with no event in or before it. */
PRS_K_USER static int kt_access(struct kt_side *s, uint32_t i, unsigned kind, uint32_t wv)
{
	struct kt_window w;
	uint32_t g0 = kt_gen(s, i), g1;

	kt_probe(kind, s->grid + i * KT_CELL, wv, &w);
	g1 = kt_gen(s, i);
	s->t.accesses++;
	s->t.fault_ins += w.c.fault_ins;
	s->t.exec_ins += w.c.exec_ins;
	s->t.real += w.c.faults;
	if (w.c.events)
		s->t.disturbed++;
	else
		s->t.multi += w.c.fault_ins > 1u;
	if (g0 != g1 || (g0 & 1u)) {
		kt_racing(s, i, kind, &w);
		return 0;
	}
	if ((g0 & 3u) == 2u) {
		kt_revoked(s, kind, &w);
		return 0;
	}
	kt_granted(s, i, kind, wv, &w);
	return !w.c.events && !w.gap;
}

/* The pair of accesses: the second, with nothing in between, must not fault. */
PRS_K_USER static void kt_sweep(struct kt_side *s, uint32_t r)
{
	for (uint32_t i = 0; i < s->ncells; i++) {
		unsigned kind = (i & 1u) ? KT_LOAD : KT_RMW;
		uint32_t wv = ((r + 1u) << 8) | i;
		int first = kt_access(s, i, kind, wv);
		uint32_t before = s->t.fault_ins;

		if (kt_access(s, i, kind, wv | 0x80u) && first) {
			s->t.repeat_checked++;
			s->t.repeats += s->t.fault_ins != before;
		}
	}
}

/*
 * A store to a read-only cell and a call into a read-write (XN) cell: real
 * faults, nothing brought in. A handler that asked prs_fault for a load
 * instead of the store, or for a load without PRS_EXEC instead of the
 * fetch, would bring a cell that was not resident in first.
 */
PRS_K_USER static void kt_forbidden(struct kt_side *s, uint32_t i)
{
	struct kt_window w;

	kt_probe(KT_STORE, s->grid + (i | 1u) * KT_CELL, 0x5a5a5a5au, &w);
	s->t.accesses++;
	s->t.real += w.c.faults;
	s->t.perm_err += w.c.faults != 1u || w.c.fault_ins != 0u;
	kt_probe(KT_CALL, s->grid + (i & ~1u) * KT_CELL, 0, &w);
	s->t.accesses++;
	s->t.real += w.c.faults;
	/* Nothing came in either: the code that ran the call was resident (no event). */
	s->t.exec_err += w.c.faults != 1u || w.c.fault_ins != 0u ||
			 (!w.c.events && w.c.exec_ins != 0u);
}

/* Writer: one call on cell i of the other grid, its generation odd meanwhile. */
PRS_K_USER static void kt_change(struct kt_side *s, uint32_t i, int grant)
{
	struct kt_side *o = s->other;
	uintptr_t cell = o->grid + i * KT_CELL;
	uint32_t g = atomic_load_explicit(&o->gen[i], memory_order_relaxed); /* ours only */
	uint32_t perm = (i & 1u) ? KT_PERM_RO : KT_PERM_RW;
	int err;

	/* Release: the owner that reads g + 1 and then sees the call's effect is racing. */
	atomic_store_explicit(&o->gen[i], g + 1u, memory_order_release);
	if (grant)
		err = prs_k_grant_sys(o->tid, cell, KT_CELL,
				      PRS_K_ATTR(perm, RT_ATTR_NORMAL_WB, PRS_SH_INNER, 0));
	else
		err = prs_k_revoke_sys(o->tid, cell, KT_CELL);
	/* Release: the call returned (its ticket waited) before the owner reads g + 2. */
	atomic_store_explicit(&o->gen[i], g + 2u, memory_order_release);
	s->t.call_err += err != 0;
	if (grant)
		s->t.grants++;
	else
		s->t.revokes++;
}

PRS_K_USER static void kt_regrant(struct kt_side *s)
{
	for (uint32_t k = 0; k < s->nheld; k++)
		kt_change(s, s->held[k], 1);
	s->nheld = 0;
}

PRS_K_USER static void cell_thread(void *arg)
{
	struct kt_side *s = arg;
	uint32_t n = s->other->ncells, c = 0;

	for (uint32_t r = 0; r < s->rounds; r++) {
		kt_sweep(s, r);
		kt_forbidden(s, c);
		kt_regrant(s);
		/* Two cells half a grid apart, both parities over the rounds. */
		s->held[0] = c;
		s->held[1] = c + n / 2u + 1u < n ? c + n / 2u + 1u : c + n / 2u + 1u - n;
		s->nheld = KT_TOGGLE;
		kt_change(s, s->held[0], 0);
		kt_change(s, s->held[1], 0);
		c = c + 3u < n ? c + 3u : c + 3u - n;
		prs_k_yield(); /* one core: the other thread's turn (its set is switched in) */
	}
	kt_regrant(s);
	prs_k_exit(0);
}

static uint32_t mean_ns(uint32_t ticks, uint32_t n)
{
	return n ? (uint32_t)((uint64_t)ticks * 1000000000u / rt_cntfrq() / n) : 0u;
}

static void report(const struct kt_side *s, const struct prs_k_thread *th)
{
	const struct kt_tally *t = &s->t;

	rt_printf("kernel_fault: thread %s (cpu%u): %lu rounds, %lu accesses (%lu granted, "
		  "%lu revoked, %lu racing, %lu with events), %lu fault-ins + %lu exec, "
		  "%lu real faults; as writer %lu revokes, %lu grants\n",
		  th->name, th->cpu, (unsigned long)s->rounds, (unsigned long)t->accesses,
		  (unsigned long)t->granted, (unsigned long)t->revoked, (unsigned long)t->racing,
		  (unsigned long)t->disturbed, (unsigned long)th->fault_ins,
		  (unsigned long)th->exec_fault_ins, (unsigned long)th->nfaults,
		  (unsigned long)t->revokes, (unsigned long)t->grants);
	rt_printf("kernel_fault: thread %s: %lu escapes, %lu revoked fault-ins, %lu granted real "
		  "faults, %lu multi fault-ins, %lu repeat faults (%lu pairs), %lu perm, %lu exec, "
		  "%lu data, %lu call errors\n",
		  th->name, (unsigned long)t->escapes, (unsigned long)t->revoked_ins,
		  (unsigned long)t->granted_real, (unsigned long)t->multi,
		  (unsigned long)t->repeats, (unsigned long)t->repeat_checked,
		  (unsigned long)t->perm_err, (unsigned long)t->exec_err,
		  (unsigned long)t->data_err, (unsigned long)t->call_err);
	KT_CHECK_EQ(th->exit_code, 0);
	KT_CHECK_EQ(t->escapes, 0);
	KT_CHECK_EQ(t->revoked_ins, 0);
	KT_CHECK_EQ(t->granted_real, 0);
	KT_CHECK_EQ(t->multi, 0);
	KT_CHECK_EQ(t->repeats, 0);
	KT_CHECK_EQ(t->perm_err, 0);
	KT_CHECK_EQ(t->exec_err, 0);
	KT_CHECK_EQ(t->data_err, 0);
	KT_CHECK_EQ(t->call_err, 0);
	KT_CHECK_EQ(t->revokes, KT_TOGGLE * s->rounds);
	KT_CHECK_EQ(t->grants, KT_TOGGLE * s->rounds);
	KT_CHECK(t->granted > 0u && t->revoked > 0u && t->repeat_checked > 0u);
	/* The oversized path ran: data and code came in on faults. */
	KT_CHECK(t->fault_ins > 0u && th->exec_fault_ins > 0u);
	KT_CHECK(th->fault_ins >= t->fault_ins);
	/* Every real fault happened in a window and was counted there. */
	KT_CHECK_EQ(th->nfaults, t->real);
	for (uint32_t k = 0; k < th->nfaults && k < PRS_K_FAULT_LOG; k++)
		KT_CHECK(th->faults[k].addr >= s->grid &&
			 th->faults[k].addr < s->grid + s->ncells * KT_CELL);
}

static void timing(const struct kt_side *sd)
{
	uint32_t mn = 0, mt = 0, hn = 0, ht = 0, rn = 0, rtk = 0, hit;

	for (unsigned k = 0; k < 2u; k++) {
		mn += sd[k].t.miss_n;
		mt += sd[k].t.miss_ticks;
		hn += sd[k].t.hit_n;
		ht += sd[k].t.hit_ticks;
		rn += sd[k].t.real_n;
		rtk += sd[k].t.real_ticks;
	}
	hit = mean_ns(ht, hn);
	KT_CHECK(mn > 0u && hn > 0u && rn > 0u);
	rt_printf("kernel_fault: trap round trip (abort entry, hook, prs_fault, return, load "
		  "again; virtual ns under -icount): fault-in %lu ns (%lu loads), real fault "
		  "%lu ns (%lu), over a hit's %lu ns (%lu)\n",
		  (unsigned long)(mean_ns(mt, mn) - hit), (unsigned long)mn,
		  (unsigned long)(mean_ns(rtk, rn) - hit), (unsigned long)rn, (unsigned long)hit,
		  (unsigned long)hn);
}

static void side_init(struct kt_side *s, unsigned index, uintptr_t grid, uint32_t n,
		      struct prs_range *parts)
{
	s->grid = (uint32_t)grid;
	s->ncells = n;
	s->rounds = KT_ROUNDS;
	s->index = index;
	for (uint32_t i = 0; i < n; i++) {
		volatile uint32_t *cell = (volatile uint32_t *)(grid + i * KT_CELL);

		parts[i] = kt_rw_range((const void *)(grid + i * KT_CELL), KT_CELL);
		if (i & 1u) {
			parts[i].perm = KT_PERM_RO;
			*cell = KT_TAG(s->index, i);
		} else {
			*cell = 0;
			s->known |= 1u << i;
		}
		atomic_init(&s->gen[i], 0u);
	}
}

int main(void)
{
	static struct prs_k_domain dom;
	static struct prs_range parts[2][KT_MAX_CELLS];
	struct prs_k_config cfg = { .capacity = 2u * rt_mpu_nregions() };
	uint32_t n = 2u * (rt_mpu_nregions() - rt_mpu_nstatic());
	struct prs_k_thread *th[2];
	struct kt_side *sd;
	struct prs_range mr;
	uintptr_t mpage, grid[2];
	uint64_t t0;

	rt_printf("kernel_fault: %u MPU regions, %u static: %lu cells per thread, capacity %u\n",
		  rt_mpu_nregions(), rt_mpu_nstatic(), (unsigned long)n, cfg.capacity);
	if (n > KT_MAX_CELLS || n < 4u) {
		rt_printf("FAIL: %lu cells do not fit the test's grid\n", (unsigned long)n);
		return 1;
	}
	KT_CHECK_EQ(prs_k_init(&cfg), PRS_OK);
	KT_CHECK_EQ(rt_ncpus(), PRS_QEMU_SMP);
	mpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE); /* a gap: grid A's first cell does not touch the mailbox */
	grid[0] = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	grid[1] = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	sd = (struct kt_side *)(void *)mpage;
	memset(sd, 0, 2u * sizeof(*sd));
	mr = kt_rw_range(sd, PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_domain_init(&dom), PRS_OK);
	KT_CHECK_EQ(prs_k_domain_add(&dom, &mr), PRS_OK);
	for (unsigned k = 0; k < 2u; k++) {
		side_init(&sd[k], k, grid[k], n, parts[k]);
		sd[k].other = &sd[1u - k];
		KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
			.name = k ? "B" : "A", .entry = cell_thread, .arg = &sd[k],
			.cpu = k ? PRS_QEMU_SMP - 1u : 0u, .domain = &dom, .parts = parts[k],
			.nparts = n }, &th[k]), PRS_OK);
	}
	if (kt_failures)
		return 1;
	sd[0].tid = th[0]->id;
	sd[1].tid = th[1]->id;
	t0 = rt_cntpct();
	KT_CHECK_EQ(prs_k_run(), 0);
	rt_printf("kernel_fault: %lu rounds in %lu ms\n", (unsigned long)KT_ROUNDS,
		  (unsigned long)kt_ms_since(t0));
	report(&sd[0], th[0]);
	report(&sd[1], th[1]);
	timing(sd);
	prs_k_print_stats("kernel_fault");
	rt_printf("kernel_fault: %s\n", kt_failures ? "FAIL" : "ok");
	return kt_failures ? 1 : 0;
}
