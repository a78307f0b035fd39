/* SPDX-License-Identifier: MIT */
/*
 * EL1 exceptions: the saved register frame and the hooks a kernel or a test
 * overrides (weak symbols; the defaults report and exit QEMU non-zero).
 *
 * Every EL1 exception (undef, svc, prefetch/data abort, irq, fiq) saves one
 * frame on the stack of the mode it is taken to, passes it to C, and on
 * return restores EVERYTHING from that frame (RFE: pc and cpsr together).
 * A hook may therefore rewrite the frame: skip an instruction, resume
 * elsewhere, or copy in another thread's frame (a frame-copy context switch).
 * Threads are expected to run in System (EL1) or User (EL0) mode, which share
 * the User register bank; that bank's sp/lr are part of the frame. The
 * runtime itself runs main() and secondary_main() in System mode.
 *
 * Frame layout (72 bytes, 8-byte aligned, lowest address first):
 *
 *   0x00 usr_sp   SP of User/System mode
 *   0x04 usr_lr   LR of User/System mode
 *   0x08 vector   RT_VEC_* of the exception that saved it
 *   0x0c r[0]     r0 .. r12 at 0x0c + 4*n
 *   0x40 pc       preferred return address: the faulting instruction for
 *                 aborts and undef, the next instruction for svc, the
 *                 interrupted instruction for irq/fiq
 *   0x44 cpsr     CPSR to resume with (the exception's SPSR)
 *
 * Exception-mode sp/lr (SVC, IRQ, ABT, UND, FIQ banks) are not in the frame:
 * they belong to the handler, not to the interrupted thread.
 */
#ifndef RT_EXC_H
#define RT_EXC_H

#define RT_FRAME_USR_SP 0x00
#define RT_FRAME_USR_LR 0x04
#define RT_FRAME_VECTOR 0x08
#define RT_FRAME_R0 0x0c
#define RT_FRAME_PC 0x40
#define RT_FRAME_CPSR 0x44
#define RT_FRAME_SIZE 0x48

/* Vector numbers = offset in the vector table / 4. */
#define RT_VEC_RESET 0
#define RT_VEC_UNDEF 1
#define RT_VEC_SVC 2
#define RT_VEC_PABT 3
#define RT_VEC_DABT 4
#define RT_VEC_HYP 5
#define RT_VEC_IRQ 6
#define RT_VEC_FIQ 7

/* QEMU exit codes of the runtime's own failures (distinct from test codes). */
#define RT_EXIT_UNDEF 0xd1
#define RT_EXIT_PABT 0xd2
#define RT_EXIT_DABT 0xd3
#define RT_EXIT_SVC 0xd4
#define RT_EXIT_IRQ 0xd5
#define RT_EXIT_FIQ 0xd6
#define RT_EXIT_EL2 0xd7
#define RT_EXIT_VECTOR 0xd8
#define RT_EXIT_SMP 0xd9

/* Mode numbers (CPSR.M). */
#define RT_MODE_USR 0x10
#define RT_MODE_FIQ 0x11
#define RT_MODE_IRQ 0x12
#define RT_MODE_SVC 0x13
#define RT_MODE_ABT 0x17
#define RT_MODE_HYP 0x1a
#define RT_MODE_UND 0x1b
#define RT_MODE_SYS 0x1f
#define RT_CPSR_T (1u << 5)
#define RT_CPSR_F (1u << 6)
#define RT_CPSR_I (1u << 7)
#define RT_CPSR_A (1u << 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct rt_frame {
	uint32_t usr_sp;
	uint32_t usr_lr;
	uint32_t vector;
	uint32_t r[13];
	uint32_t pc;
	uint32_t cpsr;
};

/* What an abort or undefined-instruction hook is told. */
struct rt_abort {
	struct rt_frame *frame; /* frame->pc = the faulting instruction */
	uint32_t vector;        /* RT_VEC_DABT, RT_VEC_PABT or RT_VEC_UNDEF */
	uint32_t status;        /* DFSR / IFSR (0 for undef) */
	uint32_t addr;          /* DFAR / IFAR (the instruction for undef) */
	unsigned cpu;
};

/*
 * Called for every data abort, prefetch abort and undefined instruction at
 * EL1/EL0, on the faulting core, in ABT/UND mode with IRQs masked. Return
 * non-zero to resume from a->frame (change frame->pc first, e.g. with
 * rt_abort_skip(), or the instruction faults again); return 0 to let the
 * runtime report the fault and exit QEMU with RT_EXIT_DABT/PABT/UNDEF.
 * The default returns 0.
 */
int rt_abort_hook(struct rt_abort *a);

/* IRQ at EL1/EL0 (IRQ mode, IRQs masked). Default: report, exit RT_EXIT_IRQ. */
void rt_irq(struct rt_frame *f);

/*
 * SVC other than semihosting (SVC mode, IRQs masked); imm is the
 * instruction's immediate. Results go into f->r[]. Default: report, exit
 * RT_EXIT_SVC.
 */
void rt_svc(struct rt_frame *f, uint32_t imm);

/* Advance frame->pc past the faulting instruction (A32 or T32). */
void rt_abort_skip(struct rt_abort *a);

/* Print a frame (for reports from hooks). */
void rt_frame_dump(const struct rt_frame *f);

/* The vector tables (for a kernel that wants to check VBAR/HVBAR). */
extern const char rt_vectors[];
extern const char rt_hyp_vectors[];

#endif /* !__ASSEMBLER__ */
#endif
