/* SPDX-License-Identifier: MIT */
/*
 * Exception paths of prs_rt, as a prs_test suite run as firmware. A strong
 * rt_abort_hook records each fault and resumes; every test checks the exact
 * vector, fault address, status, faulting pc and core, and that execution
 * resumed where the hook said. Catches: wrong lr adjustment in the vectors
 * (pc off by 4/8), frames restored wrongly (registers or mode lost across the
 * exception), DFSR/DFAR or IFSR/IFAR mixed up, hooks not called on core 1,
 * the MPU not enforcing RO / XN / overlap, SVC immediates decoded wrongly.
 */
#include "prs_test.h"
#include "rt/rt.h"

/* Long-descriptor FSR format (PMSAv8): bit 9 LPAE, bit 11 WnR, FS [5:0]. */
#define FSR_LPAE (1u << 9)
#define FSR_WNR (1u << 11)
#define FS_PERMISSION_L0 0x0cu
#define FS_TRANSLATION_L0 0x04u

static struct {
	int armed;
	unsigned count;
	struct rt_abort last;
	struct rt_frame frame;
} rec;

int rt_abort_hook(struct rt_abort *a)
{
	if (!rec.armed)
		return 0; /* not expected: let the runtime report and exit */
	rec.count++;
	rec.last = *a;
	rec.frame = *a->frame;
	if (a->vector == RT_VEC_PABT)
		a->frame->pc = a->frame->usr_lr; /* the call faulted: return */
	else
		rt_abort_skip(a);
	return 1;
}

static void arm_hook(void)
{
	rec.count = 0;
	rec.armed = 1;
}

/* The store/load is the one faulting instruction; *pc = its address. */
static void store_at(uintptr_t addr, uint32_t v, uint32_t *pc)
{
	uint32_t at;

	__asm__ volatile("1: str %1, [%2]\n\tadr %0, 1b"
			 : "=&r"(at) : "r"(v), "r"(addr) : "memory");
	*pc = at;
}

static uint32_t load_at(uintptr_t addr, uint32_t *pc)
{
	uint32_t v, at;

	__asm__ volatile("mov %0, #0\n\t1: ldr %0, [%2]\n\tadr %1, 1b"
			 : "=&r"(v), "=&r"(at) : "r"(addr) : "memory");
	*pc = at;
	return v;
}

static const uint32_t ro_word = 0x5a5a5a5au;

static void test_dabt_write_rodata(void)
{
	uint32_t pc;
	uintptr_t addr = (uintptr_t)&ro_word;

	arm_hook();
	store_at(addr, 0x1234u, &pc);
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.last.vector, RT_VEC_DABT);
	PRS_CHECK_EQ(rec.last.cpu, 0);
	PRS_CHECK_EQ(rec.last.addr, addr);
	/* A write to an EL1 read-only region: permission fault, level 0. */
	PRS_CHECK_EQ(rec.last.status, FSR_WNR | FSR_LPAE | FS_PERMISSION_L0);
	PRS_CHECK_EQ(rec.frame.pc, pc);
	PRS_CHECK_EQ(rec.frame.cpsr & 0x1fu, RT_MODE_SYS);
	PRS_CHECK_EQ(*(const volatile uint32_t *)addr, 0x5a5a5a5au);
}

/* Registers survive an abort: the frame is restored, not just pc. */
static void test_dabt_preserves_registers(void)
{
	register uint32_t r4 __asm__("r4") = 0x44444444u;
	register uint32_t r8 __asm__("r8") = 0x88888888u;
	register uint32_t r12 __asm__("r12") = 0xcccccccbu;
	uintptr_t addr = (uintptr_t)&ro_word;

	arm_hook();
	__asm__ volatile("str %3, [%3]"
			 : "+r"(r4), "+r"(r8), "+r"(r12) : "r"(addr) : "memory");
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.frame.r[4], 0x44444444u);
	PRS_CHECK_EQ(rec.frame.r[8], 0x88888888u);
	PRS_CHECK_EQ(rec.frame.r[12], 0xcccccccbu);
	PRS_CHECK_EQ(r4, 0x44444444u);
	PRS_CHECK_EQ(r8, 0x88888888u);
	PRS_CHECK_EQ(r12, 0xcccccccbu);
}

/* A32 `bx lr` placed in RW (XN) memory. */
static uint32_t xn_code[16] __attribute__((aligned(64)));

static void test_pabt_execute_xn(void)
{
	void (*fn)(void);

	xn_code[0] = 0xe12fff1eu; /* bx lr */
	fn = (void (*)(void))(uintptr_t)xn_code;
	arm_hook();
	fn();
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.last.vector, RT_VEC_PABT);
	PRS_CHECK_EQ(rec.last.addr, (uintptr_t)xn_code);
	PRS_CHECK_EQ(rec.last.status, FSR_LPAE | FS_PERMISSION_L0);
	PRS_CHECK_EQ(rec.frame.pc, (uintptr_t)xn_code);
}

/*
 * A dynamic region over memory the static RW region already covers: two
 * enabled regions hit the same address, which faults even at EL1 with
 * SCTLR.BR=1. Removing the region makes the same load work again.
 */
static uint32_t overlap_buf[16] __attribute__((aligned(64)));

static void test_dabt_overlapping_regions(void)
{
	unsigned slot = rt_mpu_nstatic();
	uintptr_t base = (uintptr_t)overlap_buf;
	uint32_t pc, v, fs;

	overlap_buf[3] = 0xfeedf00du;
	PRS_CHECK_EQ(rt_mpu_write(slot, rt_prbar((uint32_t)base, RT_PRBAR_XN),
				  rt_prlar((uint32_t)(base + sizeof(overlap_buf) - 1u),
					   RT_ATTR_NORMAL_WB)), 0);
	rt_mpu_sync();
	arm_hook();
	(void)load_at(base + 12u, &pc);
	rec.armed = 0;
	PRS_CHECK_EQ(rt_mpu_write(slot, 0, 0), 0);
	rt_mpu_sync();
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.last.vector, RT_VEC_DABT);
	PRS_CHECK_EQ(rec.last.addr, base + 12u);
	PRS_CHECK_EQ(rec.frame.pc, pc);
	/* Read, long format. The architecture and QEMU differ on the FS code
	 * for a multiple-region hit (translation vs permission): accept both. */
	PRS_CHECK_EQ(rec.last.status & ~0x3fu, FSR_LPAE);
	fs = rec.last.status & 0x3fu;
	PRS_CHECK(fs == FS_TRANSLATION_L0 || fs == FS_PERMISSION_L0);

	arm_hook();
	v = load_at(base + 12u, &pc);
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 0);
	PRS_CHECK_EQ(v, 0xfeedf00du);
}

/* SCTLR.BR=1: EL1 reaches memory no region covers (the map's choice). */
static void test_el1_background_reaches_unmapped(void)
{
	uintptr_t addr = (uintptr_t)__rt_free_start + 0x1000u;
	uint32_t pc;

	arm_hook();
	store_at(addr, 0xabcdef01u, &pc);
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 0);
	PRS_CHECK_EQ(*(volatile uint32_t *)addr, 0xabcdef01u);
}

static void test_undef(void)
{
	uint32_t at;

	arm_hook();
	__asm__ volatile("1: udf #0x2a\n\tadr %0, 1b" : "=r"(at) : : "memory");
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.last.vector, RT_VEC_UNDEF);
	PRS_CHECK_EQ(rec.last.addr, at);
	PRS_CHECK_EQ(rec.frame.pc, at);
}

static struct {
	unsigned calls;
	uint32_t imm;
	uint32_t mode;
} svc_rec;

/* The SVC hook: r0 = r0 + r1 + imm, proving frame in and frame out. */
void rt_svc(struct rt_frame *f, uint32_t imm)
{
	svc_rec.calls++;
	svc_rec.imm = imm;
	svc_rec.mode = f->cpsr & 0x1fu;
	f->r[0] = f->r[0] + f->r[1] + imm;
}

static void test_svc_hook(void)
{
	register uint32_t r0 __asm__("r0") = 1000u;
	register uint32_t r1 __asm__("r1") = 234u;

	svc_rec.calls = 0;
	__asm__ volatile("svc #0x42" : "+r"(r0) : "r"(r1) : "memory");
	PRS_CHECK_EQ(svc_rec.calls, 1);
	PRS_CHECK_EQ(svc_rec.imm, 0x42);
	PRS_CHECK_EQ(svc_rec.mode, RT_MODE_SYS);
	PRS_CHECK_EQ(r0, 1000u + 234u + 0x42u);
	/* Semihosting still bypasses the hooked vector. */
	PRS_CHECK(rt_printf("  (semihosting still works after svc)\n") > 0);
	PRS_CHECK_EQ(svc_rec.calls, 1);
}

static uint32_t cpu1_pc;

static void fault_on_cpu1(void *arg)
{
	(void)arg;
	store_at((uintptr_t)&ro_word, 7u, &cpu1_pc);
}

static void test_dabt_on_cpu1(void)
{
	if (rt_ncpus() < 2u) {
		prs_test_printf("  (single core: skipped)\n");
		return;
	}
	arm_hook();
	PRS_CHECK_EQ(rt_start_secondary(fault_on_cpu1, NULL), 0);
	rt_cpu_wait_idle(1);
	rec.armed = 0;
	PRS_CHECK_EQ(rec.count, 1);
	PRS_CHECK_EQ(rec.last.cpu, 1);
	PRS_CHECK_EQ(rec.last.vector, RT_VEC_DABT);
	PRS_CHECK_EQ(rec.last.addr, (uintptr_t)&ro_word);
	PRS_CHECK_EQ(rec.frame.pc, cpu1_pc);
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(test_dabt_write_rodata),
	PRS_TEST_ENTRY(test_dabt_preserves_registers),
	PRS_TEST_ENTRY(test_pabt_execute_xn),
	PRS_TEST_ENTRY(test_dabt_overlapping_regions),
	PRS_TEST_ENTRY(test_el1_background_reaches_unmapped),
	PRS_TEST_ENTRY(test_undef),
	PRS_TEST_ENTRY(test_svc_hook),
	PRS_TEST_ENTRY(test_dabt_on_cpu1),
};

PRS_TEST_MAIN("qemu_exceptions", tests)
