/* SPDX-License-Identifier: MIT */
/*
 * Entry for both cores (EL2, Hyp mode, MPU off, A32). Stacks, .bss, the EL2
 * trap vectors and the EL1 timer access are set here; everything that can be
 * written in C (MPU, VBAR, SMP check-in) runs after the drop to EL1.
 */
#include "rt/exc.h"

#define RT_MAX_CPUS 2

	.syntax unified
	.arm

	.section .text.rt_start, "ax", %progbits
	.global	_start
	.type	_start, %function
_start:
	mrc	p15, 0, r4, c0, c0, 5		@ MPIDR
	and	r4, r4, #0xff			@ Aff0 = core number, kept in r4
	cmp	r4, #RT_MAX_CPUS
	bhs	rt_park				@ no stacks for it: stay off

	/*
	 * Stack block of this core: __rt_stacks_start + cpu * block size.
	 * Each mode's stack sits above the previous one; sp = its top.
	 */
	ldr	r5, =__rt_stacks_start
	ldr	r6, =__rt_stack_cpu_size
	mla	r5, r4, r6, r5
	ldr	r0, =__rt_stack_hyp_size
	add	r5, r5, r0
	mov	sp, r5				@ SP_hyp (current mode)
	ldr	r0, =__rt_stack_fiq_size
	add	r5, r5, r0
	msr	SP_fiq, r5
	ldr	r0, =__rt_stack_und_size
	add	r5, r5, r0
	msr	SP_und, r5
	ldr	r0, =__rt_stack_abt_size
	add	r5, r5, r0
	msr	SP_abt, r5
	ldr	r0, =__rt_stack_irq_size
	add	r5, r5, r0
	msr	SP_irq, r5
	ldr	r0, =__rt_stack_svc_size
	add	r5, r5, r0
	msr	SP_svc, r5
	ldr	r0, =__rt_stack_sys_size
	add	r5, r5, r0
	msr	SP_usr, r5			@ System mode shares the User SP

	ldr	r0, =rt_hyp_vectors
	mcr	p15, 4, r0, c12, c0, 0		@ HVBAR
	mov	r0, #0
	mcr	p15, 4, r0, c1, c1, 0		@ HCR = 0: no EL2 traps, no stage 2
	mov	r0, #3
	mcr	p15, 4, r0, c14, c1, 0		@ CNTHCTL: EL1 may use CNTPCT, CNTP_*
	mov	r0, #0
	mov	r1, #0
	mcrr	p15, 4, r0, r1, c14		@ CNTVOFF = 0: virtual == physical
	isb

	cmp	r4, #0
	bne	1f
	/* Core 0 zeroes .bss (64-byte aligned both ends), then releases the others. */
	ldr	r0, =__rt_bss_start
	ldr	r1, =__rt_bss_end
	mov	r2, #0
	mov	r3, #0
2:	cmp	r0, r1
	strdlo	r2, r3, [r0], #8
	blo	2b
	/*
	 * rt_bss_ready lives in .data (not zeroed). The DSB orders the zeroing
	 * before the flag store; the second DSB completes the flag store before
	 * SEV wakes the waiter.
	 */
	dsb	sy
	ldr	r0, =rt_bss_ready
	mov	r1, #1
	str	r1, [r0]
	dsb	sy
	sev
	b	3f
1:	ldr	r0, =rt_bss_ready
2:	ldr	r1, [r0]
	cmp	r1, #0
	bne	4f
	wfe
	b	2b
4:	dmb	sy				@ flag read before any .bss access
3:
	/* Drop to EL1 SVC with A, I, F masked (0x1d3). */
	mov	r0, #(RT_MODE_SVC | 0x1c0)
	msr	spsr_cxsf, r0
	ldr	r0, =rt_el1_entry
	msr	elr_hyp, r0
	eret
	.size	_start, . - _start

	.type	rt_el1_entry, %function
rt_el1_entry:					@ EL1, SVC mode, SP_svc set, r4 = cpu
	mov	r0, r4
	bl	rt_el1_init			@ MAIR, MPU on, VBAR
	cps	#RT_MODE_SYS			@ main() runs in System mode
	mov	r0, r4
	bl	rt_cpu_main			@ does not return
	b	rt_park
	.size	rt_el1_entry, . - rt_el1_entry

	.global	rt_park
	.type	rt_park, %function
rt_park:
	wfi
	b	rt_park
	.size	rt_park, . - rt_park

/* EL2 vectors: nothing is expected to reach EL2 after boot; report and exit. */
	.section .text.rt_vectors, "ax", %progbits
	.balign	32
	.global	rt_hyp_vectors
rt_hyp_vectors:
	b	rt_hyp_v0
	b	rt_hyp_v1
	b	rt_hyp_v2
	b	rt_hyp_v3
	b	rt_hyp_v4
	b	rt_hyp_v5
	b	rt_hyp_v6
	b	rt_hyp_v7
	.size	rt_hyp_vectors, . - rt_hyp_vectors

	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
rt_hyp_v\n:
	mov	r0, #\n
	b	rt_hyp_trap			@ C, noreturn, on SP_hyp
	.endr

	.data
	.balign	4
	.global	rt_bss_ready
rt_bss_ready:
	.word	0
