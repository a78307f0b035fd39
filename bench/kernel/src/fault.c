/* SPDX-License-Identifier: MIT */
/*
 * EL0 faults: the runtime's abort hook. An MPU fault (a data or prefetch
 * abort whose status says permission or background fault) first goes to
 * prs_fault: when the thread's published set grants the access and the
 * region was only missing from the MPU (an oversized set: more regions than
 * slots), prs_fault has written it into a slot and the thread re-runs the
 * faulting instruction. Every other fault -- one prs_fault calls real, an
 * alignment fault, an external abort, an undefined instruction -- is
 * recorded in the running thread's fault log (address, faulting pc, kind
 * read/write/exec/undef) and the thread resumes: past the faulting
 * instruction for a data abort or undefined instruction, at its lr for a
 * prefetch abort (the thread called or jumped into memory it may not
 * execute: it continues after the call). A fault at EL1 is a kernel bug:
 * the hook declines and the runtime reports and exits (the kernel never
 * touches thread memory through a thread's permissions: SCTLR.BR gives
 * EL1 the background map wherever no region of the set is loaded).
 *
 * The runtime's vectors save the preferred return address as the frame's
 * pc: the faulting instruction itself (data abort: LR_abt - 8, prefetch
 * abort: LR_abt - 4, in A32 and T32 alike), so a fault-in returns with the
 * frame unchanged. The hook runs in Abort mode with IRQs masked, as
 * prs_fault requires: no reload IPI or switch can change the MPU between
 * the abort and the look-up.
 */
#include "internal.h"
#include "prsched/region.h"

/* DFSR/IFSR in the long-descriptor format (PMSAv8-32 always uses it). */
#define FSR_WNR (1u << 11)        /* DFSR: the access was a write */
#define FSR_LPAE (1u << 9)        /* the long-descriptor format */
#define FSR_CLASS 0x3cu           /* STATUS[5:2]: the fault class, without the level */
#define FSR_TRANSLATION 0x04u     /* 0b0001LL: no region (background) */
#define FSR_PERMISSION 0x0cu      /* 0b0011LL: no region, two regions, or not permitted */

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

/*
 * Whether the status names an MPU fault: the only kind a missing region
 * can cause. QEMU reports a miss and an overlap as a permission fault,
 * level 0 (0x20C); the architecture may report a miss as a translation
 * fault. Alignment faults, external aborts and debug events are not.
 */
static int mpu_fault(uint32_t status)
{
	uint32_t cls = status & FSR_CLASS;

	return (status & FSR_LPAE) && (cls == FSR_TRANSLATION || cls == FSR_PERMISSION);
}

/* What the faulting access needed, in prs_range.perm bits. */
static unsigned fault_access(const struct rt_abort *a)
{
	if (a->vector == RT_VEC_PABT)
		return PRS_EL0_R | PRS_EXEC;
	return (a->status & FSR_WNR) ? PRS_EL0_W : PRS_EL0_R;
}

/* prs_fault brought the region in: the thread re-runs the instruction. */
static int fault_in(struct prs_k_cpu *kc, struct prs_k_thread *t, const struct rt_abort *a)
{
	if (a->vector == RT_VEC_UNDEF || !mpu_fault(a->status))
		return 0;
	if (prs_fault(&kc->pc, &t->th.h, a->addr, fault_access(a)) != PRS_FAULT_RETRY)
		return 0;
	if (a->vector == RT_VEC_PABT)
		t->exec_fault_ins++;
	else
		t->fault_ins++;
	kc->st.fault_ins++;
	return 1;
}

int rt_abort_hook(struct rt_abort *a)
{
	struct rt_frame *f = a->frame;
	struct prs_k_cpu *kc = &prs_k_cpus[a->cpu];
	struct prs_k_thread *t = kc->cur;

	if ((f->cpsr & 0x1fu) != RT_MODE_USR || !t)
		return 0;
	if (fault_in(kc, t, a))
		return 1; /* frame->pc is the faulting instruction: run it again */
	switch (a->vector) {
	case RT_VEC_DABT:
		log_fault(t, a, (a->status & FSR_WNR) ? PRS_K_FAULT_WRITE : PRS_K_FAULT_READ);
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
