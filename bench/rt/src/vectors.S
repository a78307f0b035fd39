/* SPDX-License-Identifier: MIT */
/*
 * EL1 vector table (VBAR). Each exception saves a struct rt_frame (rt/exc.h)
 * on its own mode's stack, calls C with r0 = frame, and restores the frame,
 * possibly rewritten by the C side, with RFE (pc and cpsr at once).
 * Every entry leaves sp 8-byte aligned (frame = 72 bytes) for AAPCS.
 */
#include "rt/exc.h"

	.syntax unified
	.arm

/* Save: lr -= adj (to the preferred return address), push the frame. */
	.macro	RT_SAVE vec, mode, adj
	.if	\adj
	sub	lr, lr, #\adj
	.endif
	srsdb	sp!, #\mode			@ pc, cpsr (= SPSR) on this mode's stack
	push	{r0-r12}
	sub	sp, sp, #(RT_FRAME_R0)
	stmia	sp, {sp, lr}^			@ User/System bank sp, lr
	mov	r0, #\vec
	str	r0, [sp, #RT_FRAME_VECTOR]
	mov	r0, sp
	.endm

/* Restore from the frame at sp; RFE is the context synchronization. */
	.macro	RT_RESTORE
	ldmia	sp, {sp, lr}^
	add	sp, sp, #(RT_FRAME_R0)
	pop	{r0-r12}
	rfeia	sp!
	.endm

	.section .text.rt_vectors, "ax", %progbits
	.balign	32
	.global	rt_vectors
rt_vectors:
	b	rt_v_reset
	b	rt_v_undef
	b	rt_v_svc
	b	rt_v_pabt
	b	rt_v_dabt
	b	rt_v_hyp
	b	rt_v_irq
	b	rt_v_fiq
	.size	rt_vectors, . - rt_vectors

rt_v_undef:				@ ARM: lr = instr + 4 (Thumb fixed up in C)
	RT_SAVE	RT_VEC_UNDEF, RT_MODE_UND, 4
	bl	rt_exc_abort
	RT_RESTORE

rt_v_svc:				@ lr = next instruction
	RT_SAVE	RT_VEC_SVC, RT_MODE_SVC, 0
	bl	rt_exc_svc
	RT_RESTORE

rt_v_pabt:				@ lr = instr + 4
	RT_SAVE	RT_VEC_PABT, RT_MODE_ABT, 4
	bl	rt_exc_abort
	RT_RESTORE

rt_v_dabt:				@ lr = instr + 8
	RT_SAVE	RT_VEC_DABT, RT_MODE_ABT, 8
	bl	rt_exc_abort
	RT_RESTORE

rt_v_irq:				@ lr = interrupted instr + 4
	RT_SAVE	RT_VEC_IRQ, RT_MODE_IRQ, 4
	bl	rt_irq
	RT_RESTORE

rt_v_fiq:
	RT_SAVE	RT_VEC_FIQ, RT_MODE_FIQ, 4
	bl	rt_exc_unexpected
	RT_RESTORE

/* Reset and the unused 0x14 slot cannot be taken at EL1: report and stop. */
rt_v_reset:
	mov	r0, #RT_VEC_RESET
	b	rt_exc_bad_vector
rt_v_hyp:
	mov	r0, #RT_VEC_HYP
	b	rt_exc_bad_vector
