/* SPDX-License-Identifier: MIT */
/*
 * EL0 faults: the runtime's abort hook records each one in the running
 * thread's fault log (address, faulting pc, kind) and resumes the thread:
 * past the faulting instruction for a data abort or undefined instruction,
 * at its lr for a prefetch abort (the thread called or jumped into memory
 * it may not execute: it continues after the call). A fault at EL1 is a
 * kernel bug: the hook declines and the runtime reports and exits.
 */
#include "internal.h"

#define DFSR_WNR (1u << 11)

void prs_k_fault_link(void)
{
	/* Referenced from prs_k_init so that this object, and its strong
	 * rt_abort_hook, is always linked. */
}

static void log_fault(struct prs_k_thread *t, const struct rt_abort *a, uint8_t kind)
{
	if (t->nfaults < PRS_K_FAULT_LOG)
		t->faults[t->nfaults] = (struct prs_k_fault){ .addr = a->addr,
							      .pc = a->frame->pc,
							      .kind = kind };
	t->nfaults++;
}

int rt_abort_hook(struct rt_abort *a)
{
	struct rt_frame *f = a->frame;
	struct prs_k_thread *t = prs_k_cpus[a->cpu].cur;

	if ((f->cpsr & 0x1fu) != RT_MODE_USR || !t)
		return 0;
	switch (a->vector) {
	case RT_VEC_DABT:
		log_fault(t, a, (a->status & DFSR_WNR) ? PRS_K_FAULT_WRITE : PRS_K_FAULT_READ);
		rt_abort_skip(a);
		break;
	case RT_VEC_PABT:
		log_fault(t, a, PRS_K_FAULT_EXEC);
		f->pc = f->usr_lr & ~1u;
		f->cpsr = (f->usr_lr & 1u) ? (f->cpsr | RT_CPSR_T) : (f->cpsr & ~RT_CPSR_T);
		break;
	default:
		log_fault(t, a, PRS_K_FAULT_UNDEF);
		rt_abort_skip(a);
		break;
	}
	return 1;
}
