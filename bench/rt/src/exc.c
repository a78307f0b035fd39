/* SPDX-License-Identifier: MIT */
/* C side of the EL1 vectors and the EL2 trap: dispatch, defaults, reports. */
#include "rt/rt.h"

void rt_exc_abort(struct rt_frame *f);
void rt_exc_svc(struct rt_frame *f);
void rt_exc_unexpected(struct rt_frame *f) __attribute__((noreturn));
void rt_exc_bad_vector(unsigned vec) __attribute__((noreturn));
void rt_hyp_trap(unsigned vec) __attribute__((noreturn));

#define RT_SEMIHOST_SVC_A32 0x123456u
#define RT_SEMIHOST_SVC_T32 0xabu

static const char *const rt_vec_name[8] = {
	"reset", "undefined instruction", "svc", "prefetch abort",
	"data abort", "hyp", "irq", "fiq",
};

static const char *rt_vname(uint32_t vec)
{
	return vec < 8u ? rt_vec_name[vec] : "?";
}

void rt_frame_dump(const struct rt_frame *f)
{
	for (unsigned i = 0; i < 13u; i += 4u) {
		rt_printf("  r%-2u %08x", i, (unsigned)f->r[i]);
		for (unsigned j = i + 1u; j < i + 4u && j < 13u; j++)
			rt_printf("  r%-2u %08x", j, (unsigned)f->r[j]);
		rt_printf("\n");
	}
	rt_printf("  sp  %08x  lr  %08x  pc  %08x  cpsr %08x\n",
		  (unsigned)f->usr_sp, (unsigned)f->usr_lr, (unsigned)f->pc,
		  (unsigned)f->cpsr);
}

static int rt_is_t32_wide(uint32_t pc)
{
	uint16_t hw = *(const volatile uint16_t *)(uintptr_t)pc;

	return (hw >> 11) >= 0x1du; /* 0b11101, 0b11110, 0b11111 */
}

void rt_abort_skip(struct rt_abort *a)
{
	struct rt_frame *f = a->frame;

	if (!(f->cpsr & RT_CPSR_T))
		f->pc += 4u;
	else
		f->pc += rt_is_t32_wide(f->pc) ? 4u : 2u;
}

__attribute__((weak)) int rt_abort_hook(struct rt_abort *a)
{
	(void)a;
	return 0;
}

void rt_exc_abort(struct rt_frame *f)
{
	struct rt_abort a = { .frame = f, .vector = f->vector, .cpu = rt_cpu_id() };
	int code;

	switch (f->vector) {
	case RT_VEC_DABT:
		a.status = rt_read_dfsr();
		a.addr = rt_read_dfar();
		code = RT_EXIT_DABT;
		break;
	case RT_VEC_PABT:
		a.status = rt_read_ifsr();
		a.addr = rt_read_ifar();
		code = RT_EXIT_PABT;
		break;
	default:
		/* Thumb: lr_und was instr + 2, the entry subtracted 4. */
		if (f->cpsr & RT_CPSR_T)
			f->pc += 2u;
		a.addr = f->pc;
		code = RT_EXIT_UNDEF;
		break;
	}
	if (rt_abort_hook(&a))
		return;
	rt_printf("rt: %s on cpu%u: addr 0x%08x status 0x%03x pc 0x%08x\n",
		  rt_vname(f->vector), a.cpu, (unsigned)a.addr,
		  (unsigned)a.status, (unsigned)f->pc);
	rt_frame_dump(f);
	rt_exit(code);
}

__attribute__((weak)) void rt_svc(struct rt_frame *f, uint32_t imm)
{
	rt_printf("rt: unexpected svc 0x%x on cpu%u at pc 0x%08x\n",
		  (unsigned)imm, rt_cpu_id(), (unsigned)(f->pc));
	rt_frame_dump(f);
	rt_exit(RT_EXIT_SVC);
}

void rt_exc_svc(struct rt_frame *f)
{
	uint32_t imm;

	if (f->cpsr & RT_CPSR_T)
		imm = *(const volatile uint16_t *)(uintptr_t)(f->pc - 2u) & 0xffu;
	else
		imm = *(const volatile uint32_t *)(uintptr_t)(f->pc - 4u) &
		      0xffffffu;
	/*
	 * A semihosting call that reached the vector means QEMU runs without
	 * -semihosting-config enable=on: there is no console and no exit, so
	 * stop here and let the runner's timeout report it.
	 */
	if (imm == RT_SEMIHOST_SVC_A32 ||
	    ((f->cpsr & RT_CPSR_T) && imm == RT_SEMIHOST_SVC_T32))
		for (;;)
			__asm__ volatile("wfi");
	rt_svc(f, imm);
}

__attribute__((weak)) void rt_irq(struct rt_frame *f)
{
	rt_printf("rt: unexpected irq on cpu%u at pc 0x%08x\n", rt_cpu_id(),
		  (unsigned)f->pc);
	rt_exit(RT_EXIT_IRQ);
}

void rt_exc_unexpected(struct rt_frame *f)
{
	rt_printf("rt: unexpected %s on cpu%u at pc 0x%08x\n",
		  rt_vname(f->vector), rt_cpu_id(), (unsigned)f->pc);
	rt_frame_dump(f);
	rt_exit(RT_EXIT_FIQ);
}

void rt_exc_bad_vector(unsigned vec)
{
	rt_printf("rt: %s vector taken at EL1 on cpu%u\n", rt_vname(vec),
		  rt_cpu_id());
	rt_exit(RT_EXIT_VECTOR);
}

static uint32_t rt_read_elr_hyp(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, elr_hyp" : "=r"(v));
	return v;
}

void rt_hyp_trap(unsigned vec)
{
	rt_printf("rt: EL2 trap (%s vector) on cpu%u: HSR 0x%08x ELR_hyp 0x%08x "
		  "HDFAR 0x%08x HIFAR 0x%08x\n",
		  rt_vname(vec), rt_cpu_id(), (unsigned)rt_read_hsr(),
		  (unsigned)rt_read_elr_hyp(), (unsigned)rt_read_hdfar(),
		  (unsigned)rt_read_hifar());
	rt_exit(RT_EXIT_EL2);
}

_Static_assert(__builtin_offsetof(struct rt_frame, usr_sp) == RT_FRAME_USR_SP, "frame");
_Static_assert(__builtin_offsetof(struct rt_frame, usr_lr) == RT_FRAME_USR_LR, "frame");
_Static_assert(__builtin_offsetof(struct rt_frame, vector) == RT_FRAME_VECTOR, "frame");
_Static_assert(__builtin_offsetof(struct rt_frame, r) == RT_FRAME_R0, "frame");
_Static_assert(__builtin_offsetof(struct rt_frame, pc) == RT_FRAME_PC, "frame");
_Static_assert(__builtin_offsetof(struct rt_frame, cpsr) == RT_FRAME_CPSR, "frame");
_Static_assert(sizeof(struct rt_frame) == RT_FRAME_SIZE, "frame");
_Static_assert(RT_FRAME_SIZE % 8 == 0, "frame keeps sp 8-byte aligned");
