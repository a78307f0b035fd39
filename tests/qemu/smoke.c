/* SPDX-License-Identifier: MIT */
/*
 * Boot smoke test: every core QEMU starts reaches EL1 in System mode with
 * the MPU on, the runtime's static map loaded exactly, the remaining slots
 * disabled, MAIR and VBAR set. Each core prints what it sees; core 0 waits
 * for the other core's report, checks all of them, and exits 0 only if every
 * check holds. Catches: a core that never boots or is never counted
 * (rt_ncpus), a drop to the wrong mode/EL, an MPU left off or a static map
 * that differs from rt_mpu_static_region(), and a broken cross-core start.
 */
#include "rt/rt.h"

#ifndef PRS_QEMU_SMP
#define PRS_QEMU_SMP 1
#endif

struct core_view {
	unsigned seen;
	unsigned el;
	uint32_t mode;
	uint32_t mpuir;
	uint32_t sctlr;
	uint32_t mair0;
	uint32_t vbar;
	unsigned map_ok;      /* static slots match rt_mpu_static_region() */
	unsigned dyn_off;     /* every other slot disabled */
	uintptr_t stack_addr; /* an address on this core's stack */
};

static struct core_view view[RT_MAX_CPUS];
static int failures;

#define CHECK(c)                                                            \
	do {                                                                \
		if (!(c)) {                                                 \
			rt_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); \
			failures++;                                         \
		}                                                           \
	} while (0)

static void look(void)
{
	unsigned cpu = rt_cpu_id();
	struct core_view *v = &view[cpu];
	struct rt_mpu_region r;
	uint32_t b, l;
	unsigned n = rt_mpu_nregions();

	v->el = rt_current_el();
	v->mode = rt_read_cpsr() & 0x1fu;
	v->mpuir = rt_read_mpuir();
	v->sctlr = rt_read_sctlr();
	v->mair0 = rt_read_mair0();
	v->vbar = rt_read_vbar();
	v->stack_addr = (uintptr_t)&r;
	v->map_ok = 1;
	v->dyn_off = 1;
	for (unsigned i = 0; i < n; i++) {
		if (rt_mpu_read(i, &b, &l) != 0) {
			v->map_ok = 0;
			continue;
		}
		if (i < rt_mpu_nstatic()) {
			if (rt_mpu_static_region(i, &r) != 0 || b != r.prbar ||
			    l != r.prlar)
				v->map_ok = 0;
		} else if (l & RT_PRLAR_EN) {
			v->dyn_off = 0;
		}
	}
	v->seen = 1;
	rt_printf("cpu%u: EL%u mode 0x%02x MPUIR 0x%08x (%u regions) SCTLR 0x%08x "
		  "(M=%u BR=%u) stack %p\n",
		  cpu, v->el, (unsigned)v->mode, (unsigned)v->mpuir,
		  (unsigned)((v->mpuir >> 8) & 0xffu), (unsigned)v->sctlr,
		  (unsigned)(v->sctlr & RT_SCTLR_M), (unsigned)((v->sctlr >> 17) & 1u),
		  (void *)v->stack_addr);
}

static void on_secondary(void *arg)
{
	(void)arg;
	look();
	rt_barrier_wait(); /* the view is published before core 0 reads it */
}

static int in_range(uintptr_t a, const char *lo, const char *hi)
{
	return a >= (uintptr_t)lo && a < (uintptr_t)hi;
}

static void check_static_map(void)
{
	struct rt_mpu_region r[RT_MPU_NSTATIC];

	CHECK(rt_mpu_nstatic() <= 6u);
	for (unsigned i = 0; i < rt_mpu_nstatic(); i++) {
		CHECK(rt_mpu_static_region(i, &r[i]) == 0);
		CHECK(r[i].base % RT_MPU_ALIGN == 0);
		CHECK((r[i].limit + 1u) % RT_MPU_ALIGN == 0);
		/* 4 KiB: QEMU's fast path (see bench/rt/rt.ld). */
		CHECK(r[i].base % 4096u == 0);
		CHECK((r[i].limit + 1u) % 4096u == 0);
		CHECK(r[i].limit > r[i].base);
		for (unsigned j = 0; j < i; j++)
			CHECK(r[i].limit < r[j].base || r[j].limit < r[i].base);
		rt_printf("  slot %u %-6s 0x%08x..0x%08x PRBAR 0x%08x PRLAR 0x%08x\n",
			  i, r[i].name, (unsigned)r[i].base, (unsigned)r[i].limit,
			  (unsigned)r[i].prbar, (unsigned)r[i].prlar);
	}
	CHECK(rt_mpu_static_region(rt_mpu_nstatic(), &r[0]) != 0);
	CHECK(in_range((uintptr_t)look, __rt_text_start, __rt_text_end));
	CHECK(in_range((uintptr_t)&failures, __rt_bss_start, __rt_bss_end));
	CHECK(in_range((uintptr_t)&failures, __rt_rw_start, __rt_rw_end));
	CHECK((uintptr_t)__rt_free_start >= (uintptr_t)__rt_rw_end);
}

static void check_core(unsigned cpu)
{
	const struct core_view *v = &view[cpu];

	CHECK(v->seen);
	CHECK(v->el == 1u);
	CHECK(v->mode == RT_MODE_SYS);
	CHECK(((v->mpuir >> 8) & 0xffu) == rt_mpu_nregions());
	CHECK(rt_mpu_nregions() >= rt_mpu_nstatic() + 1u);
	CHECK(v->sctlr & RT_SCTLR_M);
	CHECK(v->sctlr & RT_SCTLR_BR);
	CHECK(v->mair0 == RT_MAIR0_VALUE);
	CHECK(v->vbar == (uint32_t)(uintptr_t)rt_vectors);
	CHECK(v->map_ok);
	CHECK(v->dyn_off);
	CHECK(in_range(v->stack_addr, __rt_stacks_start, __rt_stacks_end));
}

static void check_timer(void)
{
	uint64_t t0 = rt_cntpct();
	uint64_t t1 = t0;

	for (unsigned i = 0; i < 1000000u && t1 == t0; i++)
		t1 = rt_cntpct();
	CHECK(t1 > t0);
	CHECK(rt_cntfrq() != 0u);
	rt_printf("  CNTFRQ %u Hz, CNTPCT 0x%llx\n", (unsigned)rt_cntfrq(),
		  (unsigned long long)t1);
}

int main(void)
{
	rt_printf("smoke: %u cpu(s) up, expected %u; %u MPU regions, %u static\n",
		  rt_ncpus(), (unsigned)PRS_QEMU_SMP, rt_mpu_nregions(),
		  rt_mpu_nstatic());
	CHECK(rt_ncpus() == PRS_QEMU_SMP);
	CHECK(rt_cpu_id() == 0u);
	look();
	if (rt_ncpus() > 1u) {
		CHECK(rt_start_secondary(on_secondary, NULL) == 0);
		rt_barrier_wait();
		rt_cpu_wait_idle(1);
	}
	for (unsigned cpu = 0; cpu < rt_ncpus(); cpu++)
		check_core(cpu);
	CHECK(view[0].stack_addr != view[1].stack_addr || rt_ncpus() == 1u);
	check_static_map();
	check_timer();
	rt_printf("smoke: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}
