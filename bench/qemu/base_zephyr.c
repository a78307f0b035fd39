/* SPDX-License-Identifier: MIT */
/*
 * Baseline "zephyr-arm64": the switch-time MPU path of Zephyr's Armv8-R
 * AArch64 MPU driver, re-expressed with AArch32 (Cortex-R52) registers.
 * Written for this benchmark from a reading of the algorithm; no Zephyr code.
 *
 * Sources read, line by line (zephyrproject-rtos/zephyr):
 * arch/arm64/core/cortex_r/arm_mpu.c at c564eb073f7f:
 *   L832-849 z_arm64_swap_mem_domains(): L837 spins on
 *       atomic_cas(&thread->arch.flushing, 0, 1); L840-846 flushes the
 *       CPU's sys_dyn_regions when region_num == 0, else the thread's
 *       arch.regions; L848 atomic_clear() of the flag.
 *   L584-634 flush_dynamic_regions_to_mpu(): L591 bounds check against
 *       get_num_regions() (L75-83: MPUIR read on every call); L598
 *       arm_core_mpu_background_region_enable() (L349-358: SCTLR_EL1.BR=1,
 *       DSB, ISB); L605 sys_cache_data_flush_range() of the region array;
 *       L606-608 mpu_clr_region() (L157-169: PRSELR, DSB, PRLAR=0, PRBAR=0,
 *       DSB, ISB) for EVERY slot from static_regions_num to
 *       get_num_regions()-1, the bound re-read each iteration; L613-630
 *       region_init() per region (L178-191: encode base/limit/attrs, then
 *       mpu_set_region() L146-155: PRSELR, DSB, PRBAR, PRLAR, DSB, ISB),
 *       index < 0 taking consecutive slots from static_regions_num
 *       (L625-627); L631 arm_core_mpu_background_region_disable()
 *       (L360-371: DMB, SCTLR.BR=0, DSB, ISB).
 *   L636-737 configure_dynamic_mpu_regions(): the writer side, L646 takes
 *       the same flag, L649 region_num = 0 while it rebuilds
 *       thread->arch.regions, L735 releases it (core 1's contention here).
 * include/zephyr/sys/atomic_builtin.h at a27ef2b31dd6:
 *   L23-29 atomic_cas() = __atomic_compare_exchange_n(SEQ_CST, SEQ_CST);
 *   L69-76 atomic_set() = __atomic_exchange_n(SEQ_CST); L83-86
 *   atomic_clear() = atomic_set(target, 0).
 * arch/arm64/core/cache.c at 4ec90cf74c56 (sys_cache_data_flush_range ->
 *   arch_dcache_range(K_CACHE_WB)): L67-128, a call; L73 the op check; L76
 *   the line size (L44-59: CTR_EL0 read once, then the cached value);
 *   L112-122 one "dc cvac" per line; L125 DSB.
 *
 * AArch32 mapping: PRSELR_EL1/PRBAR_EL1/PRLAR_EL1 -> PRSELR/PRBAR/PRLAR
 * (p15 c6), SCTLR_EL1 -> SCTLR (BR is bit 17 in both), MPUIR_EL1 -> MPUIR
 * (DREGION in [15:8]), CTR_EL0 -> CTR, dc cvac -> DCCMVAC. The atomics are
 * Zephyr's own builtins, compiled here by GCC for the target: with
 * -mcpu=cortex-r52 they are LDAEX/STLEX loops with no DMB around them
 * (arm-none-eabi-gcc 12 -O2; AArch64 gives LDAXR/STLXR, or CASAL/SWPAL with
 * LSE). A successful CAS is one LDAEX + one STLEX, a failed one one LDAEX;
 * the exchange one of each: counted as acquire/release accesses. The cache
 * clean is kept (Zephyr calls it unconditionally; it matters on the R52,
 * whose caches are not coherent between cores).
 *
 * One addition for the emulator only: the CAS spin loop executes YIELD.
 * QEMU's -icount mode runs the two vCPUs round-robin on one host thread, so
 * without it the flag holder on core 1 would not run until core 0's time
 * slice ends; with it, core 1 finishes its critical section as it would in
 * parallel on silicon. With the counter of failed attempts (bench_spins) it
 * adds a few instructions per failed attempt (it never makes Zephyr faster)
 * and none when the flag is free.
 */
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "mpu_a32.h"

/* The driver's per-region record (struct arm_mpu_region + its index). */
struct zb_region {
	uint32_t base;  /* inclusive */
	uint32_t limit; /* exclusive */
	uint32_t rbar;  /* XN, AP, SH bits as in PRBAR */
	uint32_t mair_idx;
};

struct zb_dyn_region {
	int index; /* < 0: the next free slot from the static count */
	struct zb_region conf;
};

/* Zephyr's atomic_t: a long. */
typedef long zb_atomic_t;

/* thread->arch: the flag, the array and its length. */
struct zb_thread {
	zb_atomic_t flushing;
	uint8_t region_num;
	struct zb_dyn_region regions[BENCH_MAX_SLOTS];
};

#define ZB_RBAR_ATTR_MASK 0x1fu /* XN [0], AP [2:1], SH [4:3] */

/* cache.c's operations (K_CACHE_*). */
enum { ZB_CACHE_WB = 1, ZB_CACHE_INVD = 2, ZB_CACHE_WB_INVD = 3 };

/* Shared between the timed and the counting build (defined in the former). */
#if !BENCH_COUNT
unsigned zb_static_regions_num;
struct zb_thread zb_threads[2];
struct zb_dyn_region zb_sys_dyn[1];
uint8_t zb_sys_dyn_num;
struct zb_dyn_region zb_source[2][BENCH_MAX_SLOTS];
uint32_t zb_dcache_line_size;
#else
extern unsigned zb_static_regions_num;
extern struct zb_thread zb_threads[2];
extern struct zb_dyn_region zb_sys_dyn[1];
extern uint8_t zb_sys_dyn_num;
extern struct zb_dyn_region zb_source[2][BENCH_MAX_SLOTS];
extern uint32_t zb_dcache_line_size;
#endif

static inline unsigned zb_num_regions(void)
{
	return (rt_read_mpuir() >> 8) & 0xffu;
}

/*
 * atomic_cas(): the same builtin, so GCC emits what it emits for Zephyr
 * (LDAEX, compare, STLEX, retry; no DMB). Counted: one LDAEX, plus one
 * STLEX when it succeeds (uncontended counting runs never retry).
 */
static inline int zb_cas(zb_atomic_t *p, zb_atomic_t old, zb_atomic_t new_val)
{
	int ok = __atomic_compare_exchange_n(p, &old, new_val, 0, __ATOMIC_SEQ_CST,
					     __ATOMIC_SEQ_CST);

	BENCH_O(ok ? 2u : 1u);
	return ok;
}

/* atomic_clear(): atomic_set(p, 0), the exchange builtin (LDAEX + STLEX). */
static inline void zb_clear(zb_atomic_t *p)
{
	(void)__atomic_exchange_n(p, 0, __ATOMIC_SEQ_CST);
	BENCH_O(2u);
}

static inline void zb_take(zb_atomic_t *flag)
{
	while (!zb_cas(flag, 0u, 1u)) {
		bench_spins++;
		a32_yield();
	}
}

static inline void zb_set_region(uint32_t rnr, uint32_t rbar, uint32_t rlar)
{
	a32_prselr(rnr);
	a32_dsb();
	a32_prbar(rbar);
	a32_prlar(rlar);
	a32_dsb();
	a32_isb();
}

static inline void zb_clr_region(uint32_t rnr)
{
	a32_prselr(rnr);
	a32_dsb();
	/* Limit first: its EN bit is what disables the region. */
	a32_prlar(0u);
	a32_prbar(0u);
	a32_dsb();
	a32_isb();
}

static inline void zb_region_init(uint32_t index, const struct zb_region *r)
{
	uint32_t rbar = (r->base & ~0x3fu) | (r->rbar & ZB_RBAR_ATTR_MASK);
	uint32_t rlar = ((r->limit - 1u) & ~0x3fu) | ((r->mair_idx << 1) & 0xeu) | 1u;

	zb_set_region(index, rbar, rlar);
}

static inline void zb_bg_enable(void)
{
	uint32_t v = rt_read_sctlr();

	a32_sctlr_write(v | A32_SCTLR_BR);
	a32_dsb();
	a32_isb();
}

static inline void zb_bg_disable(void)
{
	uint32_t v;

	a32_dmb();
	v = rt_read_sctlr();
	a32_sctlr_write(v & ~A32_SCTLR_BR);
	a32_dsb();
	a32_isb();
}

/* CTR.DminLine: log2 of the smallest data-cache line in words. */
static inline uint32_t zb_ctr_line(void)
{
	uint32_t ctr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
	return 4u << ((ctr >> 16) & 0xfu);
}

/* arch_dcache_range(): a call, the op check, the cached line size, clean
 * by line (only K_CACHE_WB is used on this path), DSB. */
static void __attribute__((noinline)) BENCH_FN(zb_dcache_range)(const void *p, size_t len, int op)
{
	uintptr_t a = (uintptr_t)p;
	uintptr_t end = a + len;
	uint32_t line;

	if (op != ZB_CACHE_INVD && op != ZB_CACHE_WB && op != ZB_CACHE_WB_INVD)
		return;
	line = zb_dcache_line_size;
	if (!line)
		line = zb_dcache_line_size = zb_ctr_line();
	for (a &= ~(uintptr_t)(line - 1u); a < end; a += line)
		a32_dccmvac(a);
	a32_dsb();
}

static int zb_flush(const struct zb_dyn_region *dyn, unsigned num)
{
	unsigned avail = zb_static_regions_num;

	if (num >= zb_num_regions())
		return -1;
	zb_bg_enable();
	BENCH_FN(zb_dcache_range)(dyn, sizeof(*dyn) * num, ZB_CACHE_WB);
	for (unsigned i = avail; i < zb_num_regions(); i++)
		zb_clr_region(i);
	for (unsigned i = 0; i < num; i++) {
		int idx = dyn[i].index;

		if (idx < 0)
			idx = (int)avail++;
		zb_region_init((uint32_t)idx, &dyn[i].conf);
	}
	zb_bg_disable();
	return 0;
}

void BENCH_FN(zb_switch)(unsigned t);
void BENCH_FN(zb_switch)(unsigned t)
{
	struct zb_thread *th = &zb_threads[t];

	zb_take(&th->flushing);
	if (th->region_num == 0)
		(void)zb_flush(zb_sys_dyn, zb_sys_dyn_num);
	else
		(void)zb_flush(th->regions, th->region_num);
	zb_clear(&th->flushing);
}

#if !BENCH_COUNT
void zb_switch_count(unsigned t);
static uint8_t zb_source_n;

/* Core 1's rebuild of thread t (configure_dynamic_mpu_regions() for a
 * thread that is not current there): same flag, same array, same values. */
static void zb_republish(unsigned t)
{
	struct zb_thread *th = &zb_threads[t];

	zb_take(&th->flushing);
	th->region_num = 0;
	for (unsigned i = 0; i < zb_source_n; i++)
		th->regions[i] = zb_source[t][i];
	th->region_num = zb_source_n;
	zb_clear(&th->flushing);
	/* Harness, not Zephyr: hand the round-robin emulator back to core 0. */
	a32_yield();
}

static void zb_fill(struct zb_dyn_region *out, const struct bench_pair *p, unsigned t)
{
	for (unsigned i = 0; i < BENCH_MAX_SLOTS; i++) {
		out[i].index = -1;
		out[i].conf.base = 0u;
		out[i].conf.limit = 0u;
		out[i].conf.rbar = 0u;
		out[i].conf.mair_idx = 0u;
	}
	for (unsigned i = 0; i < p->n; i++) {
		uint32_t b = p->prbar[t][p->nstatic + i];
		uint32_t l = p->prlar[t][p->nstatic + i];

		out[i].conf.base = b & ~0x3fu;
		out[i].conf.limit = (l | 0x3fu) + 1u;
		out[i].conf.rbar = b & ZB_RBAR_ATTR_MASK;
		out[i].conf.mair_idx = (l >> 1) & 7u;
	}
}

static uint32_t zb_saved_sctlr;

static int zb_setup(const struct bench_pair *p)
{
	zb_static_regions_num = p->nstatic;
	zb_sys_dyn_num = 0;
	zb_source_n = (uint8_t)p->n;
	for (unsigned t = 0; t < 2; t++) {
		zb_fill(zb_source[t], p, t);
		zb_fill(zb_threads[t].regions, p, t);
		zb_threads[t].region_num = (uint8_t)p->n;
		zb_threads[t].flushing = 0;
	}
	zb_saved_sctlr = rt_read_sctlr();
	zb_dcache_line_size = zb_ctr_line();
	return 0;
}

/* The runtime runs with SCTLR.BR=1; Zephyr's flush leaves BR=0. */
static void zb_teardown(void)
{
	A32_MCR(c1, c0, 0, zb_saved_sctlr);
	__asm__ volatile("dsb sy\n\tisb" : : : "memory");
}

const struct bench_impl bench_zephyr = {
	.name = "zephyr-arm64",
	.setup = zb_setup,
	.switch_to = zb_switch,
	.switch_count = zb_switch_count,
	.republish = zb_republish,
	.teardown = zb_teardown,
};
#endif
