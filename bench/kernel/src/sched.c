/* SPDX-License-Identifier: MIT */
/*
 * Per-core round-robin scheduler, the IRQ and SVC entry points, and the
 * idle loop.
 *
 * A context switch is a frame copy: the runtime's vectors save the
 * interrupted context as a struct rt_frame on the handler's stack and
 * restore whatever that frame holds with RFE. prs_k_resched() saves the
 * outgoing frame into its thread (or the core's idle slot), copies the
 * incoming thread's frame in, and calls prs_switch() for the incoming
 * thread's handle BEFORE the handler returns: the MPU holds the thread's
 * set when RFE -- a context synchronization event -- drops to EL0.
 *
 * The idle context is the core's boot context (main() on core 0, the
 * runtime's rt_serve() on the others) in System mode: prs_k_cpu_loop()
 * enables the timer and IRQs and yields to the threads; it resumes when the
 * core has no runnable thread left and returns once every thread of every
 * core has exited (cores keep serving reload IPIs until then).
 *
 * Everything here runs in exception modes with IRQs masked, on the
 * runtime's per-core stacks; all state is in .bss (static RW region).
 */
#include <stddef.h>

#include "gic.h"
#include "internal.h"
#include "prs_kernel/user.h"
#include "prsched/error.h"

static struct prs_k_cpu *this_cpu(void)
{
	return &prs_k_cpus[rt_cpu_id()];
}

static unsigned state_of(struct prs_k_thread *t)
{
	/* Relaxed: a thread's state changes only on its own core. */
	return atomic_load_explicit(&t->state, memory_order_relaxed);
}

static void set_state(struct prs_k_thread *t, unsigned s)
{
	atomic_store_explicit(&t->state, s, memory_order_relaxed);
}

/* The next thread after the current one that has not exited (maybe the current one). */
static struct prs_k_thread *pick(struct prs_k_cpu *kc)
{
	for (unsigned i = 1; i <= kc->nq; i++) {
		unsigned k = (kc->rr + i) % kc->nq;

		if (state_of(kc->q[k]) != PRS_K_EXITED) {
			kc->rr = k;
			return kc->q[k];
		}
	}
	return NULL;
}

static void resched(struct prs_k_cpu *kc, struct rt_frame *f)
{
	struct prs_k_thread *cur = kc->cur, *next = pick(kc);

	if (next == cur)
		return;
	if (!cur)
		kc->idle = *f;
	else if (state_of(cur) == PRS_K_RUNNING) {
		cur->frame = *f;
		set_state(cur, PRS_K_READY);
	}
	kc->cur = next;
	if (!next) {
		*f = kc->idle;
		kc->st.idle_entries++;
		return;
	}
	*f = next->frame;
	set_state(next, PRS_K_RUNNING);
	next->events++;
	/* The incoming thread's set, before RFE returns to it. */
	prs_switch(&kc->pc, &next->th.h);
	next->switches_in++;
	kc->st.switches++;
}

void rt_irq(struct rt_frame *f)
{
	struct prs_k_cpu *kc = this_cpu();
	uint32_t intid = prs_k_gic_ack();

	if (kc->cur)
		kc->cur->events++;
	if (intid >= PRS_K_SPURIOUS)
		return;
	if (intid == PRS_K_INTID_TIMER) {
		prs_k_timer_rearm(prs_k.tick);
		prs_k_gic_eoi(intid);
		kc->st.ticks++;
		resched(kc, f);
		return;
	}
	prs_k_gic_eoi(intid);
	if (intid == PRS_K_SGI_RELOAD) {
		kc->st.reload_ipis++;
		prs_k_serve_reload(kc);
		return;
	}
	rt_printf("prs_k: unexpected interrupt %lu on cpu%u\n", (unsigned long)intid,
		  rt_cpu_id());
	rt_exit(RT_EXIT_IRQ);
}

static void sys_exit(struct prs_k_cpu *kc, struct prs_k_thread *t, struct rt_frame *f)
{
	t->exit_code = f->r[0];
	set_state(t, PRS_K_EXITED);
	/* Release: the thread's logs before the idle loops' acquire of live == 0. */
	atomic_fetch_sub_explicit(&prs_k.live, 1u, memory_order_release);
	resched(kc, f);
}

/* The range of a grant-like call: r1 base, r2 size, r3 PRS_K_ATTR(). */
static struct prs_range frame_range(const struct rt_frame *f)
{
	return (struct prs_range){
		.base = f->r[1],
		.size = f->r[2],
		.perm = (uint8_t)(f->r[3] & 0xffu),
		.memtype = (uint8_t)((f->r[3] >> 8) & 0xffu),
		.share = (uint8_t)((f->r[3] >> 16) & 0xffu),
		.opts = (uint8_t)((f->r[3] >> 24) & 0xffu),
	};
}

/* A grant request from EL0: r0 tid, r1 base, r2 size, r3 PRS_K_ATTR(). */
static uint32_t sys_grant(struct rt_frame *f)
{
	struct prs_range r = frame_range(f);
	struct prs_k_thread *t = prs_k_thread_get(f->r[0]);

	return (uint32_t)(t ? prs_k_grant(t, &r) : PRS_E_ARG);
}

/* Dynamic slots this core's MPU has disabled now (read back: the caller's set is loaded). */
static uint32_t sys_mpu_free(void)
{
	uint32_t n = 0;

	for (unsigned s = rt_mpu_nstatic(); s < rt_mpu_nregions(); s++) {
		uint32_t bar, lar;

		if (rt_mpu_read(s, &bar, &lar) == 0 && !(lar & RT_PRLAR_EN))
			n++;
	}
	return n;
}

static uint32_t sys_revoke(struct rt_frame *f)
{
	struct prs_k_thread *t = prs_k_thread_get(f->r[0]);

	return (uint32_t)(t ? prs_k_revoke(t, f->r[1], f->r[2]) : PRS_E_ARG);
}

/* Domain system calls: r0 is the domain id. */
static uint32_t sys_domain(uint32_t imm, struct rt_frame *f)
{
	struct prs_k_domain *d = prs_k_domain_get(f->r[0]);
	struct prs_range r = frame_range(f);

	if (!d)
		return (uint32_t)PRS_E_ARG;
	switch (imm) {
	case PRS_K_SYS_DOM_ADD:
		return (uint32_t)prs_k_domain_add(d, &r);
	case PRS_K_SYS_DOM_REMOVE:
		return (uint32_t)prs_k_domain_remove(d, f->r[1], f->r[2]);
	case PRS_K_SYS_DOM_JOIN:
		return (uint32_t)prs_k_domain_join(d, prs_k_thread_get(f->r[1]));
	default:
		return (uint32_t)prs_k_domain_leave(d, prs_k_thread_get(f->r[1]));
	}
}

/*
 * PRS_K_SYS_COUNTS: the caller's counters since its previous call, r0..r3.
 * A publish of its set in between is an event even if its reload IPI is
 * still on the way: a fault may already have loaded the new version. And
 * the MPU is brought up to the set published now (prs_switch to the caller:
 * a no-op unless a reload is still owed), so that an owed copy cannot
 * rewrite the slots later, at a fault, with no event to show for it.
 */
static void sys_counts(struct prs_k_cpu *kc, struct prs_k_thread *t, struct rt_frame *f)
{
	uint32_t w = prs_k_word(t);
	struct prs_k_counts now;

	t->events += w != t->seen_word;
	t->seen_word = w;
	prs_switch(&kc->pc, &t->th.h);
	now = (struct prs_k_counts){ t->nfaults, t->fault_ins, t->exec_fault_ins, t->events };

	f->r[0] = now.faults - t->seen.faults;
	f->r[1] = now.fault_ins - t->seen.fault_ins;
	f->r[2] = now.exec_ins - t->seen.exec_ins;
	f->r[3] = now.events - t->seen.events;
	t->seen = now;
}

static void record(struct prs_k_thread *t, uint32_t v)
{
	if (t->nrecords < PRS_K_RECORD_LOG)
		t->records[t->nrecords] = v;
	t->nrecords++;
}

void rt_svc(struct rt_frame *f, uint32_t imm)
{
	struct prs_k_cpu *kc = this_cpu();
	struct prs_k_thread *t = kc->cur, *o;

	kc->st.syscalls++;
	if ((f->cpsr & 0x1fu) != RT_MODE_USR || !t) {
		/* The idle context's only call: run the threads. */
		if (imm == PRS_K_SYS_YIELD && !t) {
			resched(kc, f);
			return;
		}
		rt_printf("prs_k: svc %lu from EL1 on cpu%u\n", (unsigned long)imm, rt_cpu_id());
		rt_exit(RT_EXIT_SVC);
	}
	switch (imm) {
	case PRS_K_SYS_YIELD:
		kc->st.yields++;
		resched(kc, f);
		break;
	case PRS_K_SYS_EXIT:
		sys_exit(kc, t, f);
		break;
	case PRS_K_SYS_RECORD:
		record(t, f->r[0]);
		break;
	case PRS_K_SYS_GRANT:
		f->r[0] = sys_grant(f);
		break;
	case PRS_K_SYS_REVOKE:
		f->r[0] = sys_revoke(f);
		break;
	case PRS_K_SYS_WORD:
		o = prs_k_thread_get(f->r[0]);
		f->r[0] = o ? prs_k_word(o) : 0u;
		break;
	case PRS_K_SYS_FAULTS:
		f->r[0] = t->nfaults;
		break;
	case PRS_K_SYS_SELF:
		f->r[0] = t->id;
		break;
	case PRS_K_SYS_CPU:
		f->r[0] = rt_cpu_id();
		break;
	case PRS_K_SYS_MPU_FREE:
		f->r[0] = sys_mpu_free();
		break;
	case PRS_K_SYS_COUNTS:
		sys_counts(kc, t, f);
		break;
	case PRS_K_SYS_TIME:
		f->r[0] = (uint32_t)rt_cntpct();
		break;
	case PRS_K_SYS_DOM_ADD:
	case PRS_K_SYS_DOM_REMOVE:
	case PRS_K_SYS_DOM_JOIN:
	case PRS_K_SYS_DOM_LEAVE:
		f->r[0] = sys_domain(imm, f);
		break;
	default:
		/* An unknown call is a bug in the test: say where, and stop. */
		rt_printf("prs_k: thread %s: unknown svc %lu at pc 0x%08lx\n", t->name,
			  (unsigned long)imm, (unsigned long)f->pc);
		rt_exit(RT_EXIT_SVC);
	}
}

static void idle_yield(void)
{
	__asm__ volatile("svc %0" : : "i"(PRS_K_SYS_YIELD) : "memory");
}

void prs_k_cpu_loop(unsigned cpu)
{
	if (cpu != 0) {
		/* prs_cpu_init's precondition on this core too (core 0: prs_k_init). */
		int err = prs_k_check_mpu();

		if (err != PRS_OK) {
			rt_printf("prs_k: cpu%u MPU does not hold the static image: %s\n", cpu,
				  prs_errname(err));
			rt_exit(RT_EXIT_SMP);
		}
		prs_k_gic_cpu_init(cpu);
	}
	prs_k_timer_start(prs_k.tick);
	rt_irq_enable();
	/* Acquire: pairs with the exits' release; their logs are visible after. */
	while (atomic_load_explicit(&prs_k.live, memory_order_acquire) != 0) {
		idle_yield();
		__asm__ volatile("wfi" : : : "memory");
	}
	rt_irq_disable();
	prs_k_timer_stop();
}
