/* SPDX-License-Identifier: MIT */
/* MAIR, the static EL1 MPU map, and the direct PRBARn/PRLARn registers. */
#include "rt/mpu.h"
#include "rt/sysreg.h"

/*
 * Region n lives in CRm = 8 + n/2, opc2 = 4*(n&1) (+1 for PRLAR).
 * Disable first, ISB, then base and limit: otherwise the old limit with the
 * new base (or the reverse) can be in force for a moment and, e.g. when a
 * region is cleared to 0/0, briefly cover 0..old limit, code included.
 */
#define RT_PR_WRITE(n, b, l)                                                  \
	__asm__ volatile("mcr p15, 0, %5, c6, c%c2, %c4\n\t"                  \
			 "isb\n\t"                                            \
			 "mcr p15, 0, %0, c6, c%c2, %c3\n\t"                  \
			 "mcr p15, 0, %1, c6, c%c2, %c4"                      \
			 : : "r"(b), "r"(l), "i"(8 + (n) / 2),                \
			   "i"(((n) & 1) * 4), "i"(((n) & 1) * 4 + 1), "r"(0u) \
			 : "memory")
#define RT_PR_READ(n, b, l)                                                   \
	__asm__ volatile("mrc p15, 0, %0, c6, c%c2, %c3\n\t"                  \
			 "mrc p15, 0, %1, c6, c%c2, %c4"                      \
			 : "=r"(b), "=r"(l) : "i"(8 + (n) / 2),               \
			   "i"(((n) & 1) * 4), "i"(((n) & 1) * 4 + 1))

#define RT_PR_CASES(OP)                                                        \
	OP(0); OP(1); OP(2); OP(3); OP(4); OP(5); OP(6); OP(7); OP(8); OP(9);  \
	OP(10); OP(11); OP(12); OP(13); OP(14); OP(15)

int rt_mpu_write(unsigned n, uint32_t prbar, uint32_t prlar)
{
	switch (n) {
#define RT_W(k)                               \
	case k:                               \
		RT_PR_WRITE(k, prbar, prlar); \
		return 0
		RT_PR_CASES(RT_W);
#undef RT_W
	default:
		return -1;
	}
}

int rt_mpu_read(unsigned n, uint32_t *prbar, uint32_t *prlar)
{
	uint32_t b, l;

	switch (n) {
#define RT_R(k)                       \
	case k:                       \
		RT_PR_READ(k, b, l);  \
		break
		RT_PR_CASES(RT_R);
#undef RT_R
	default:
		return -1;
	}
	*prbar = b;
	*prlar = l;
	return 0;
}

void rt_mpu_sync(void)
{
	__asm__ volatile("dsb sy\n\tisb" : : : "memory");
}

unsigned rt_mpu_nregions(void)
{
	return (rt_read_mpuir() >> 8) & 0xffu;
}

unsigned rt_mpu_nstatic(void)
{
	return RT_MPU_NSTATIC;
}

static void rt_region(struct rt_mpu_region *r, const char *name, uint32_t base,
		      uint32_t end, uint32_t flags, uint32_t attr)
{
	r->name = name;
	r->base = base;
	r->limit = end - 1u;
	r->prbar = rt_prbar(base, flags);
	r->prlar = rt_prlar(r->limit, attr);
}

static uint32_t rt_addr(const char *p)
{
	return (uint32_t)(uintptr_t)p;
}

int rt_mpu_static_region(unsigned slot, struct rt_mpu_region *r)
{
	switch (slot) {
	case RT_SLOT_TEXT:
		rt_region(r, "text", rt_addr(__rt_text_start), rt_addr(__rt_text_end),
			  RT_PRBAR_AP_EL1_RO | RT_PRBAR_SH_NON, RT_ATTR_NORMAL_WB);
		return 0;
	case RT_SLOT_RODATA:
		rt_region(r, "rodata", rt_addr(__rt_rodata_start),
			  rt_addr(__rt_rodata_end),
			  RT_PRBAR_AP_EL1_RO | RT_PRBAR_SH_NON | RT_PRBAR_XN,
			  RT_ATTR_NORMAL_WB);
		return 0;
	case RT_SLOT_RW:
		rt_region(r, "rw", rt_addr(__rt_rw_start), rt_addr(__rt_rw_end),
			  RT_PRBAR_AP_EL1_RW | RT_PRBAR_SH_INNER | RT_PRBAR_XN,
			  RT_ATTR_NORMAL_WB);
		return 0;
	case RT_SLOT_DEVICE:
		/* Device-nGnRnE: the strictest of what the UARTs and the GIC need. */
		rt_region(r, "device", RT_DEVICE_BASE, RT_DEVICE_LIMIT + 1u,
			  RT_PRBAR_AP_EL1_RW | RT_PRBAR_XN, RT_ATTR_DEVICE_NGNRNE);
		return 0;
	default:
		return -1;
	}
}

/*
 * Runs at EL1 with the MPU still off, so the order of the region writes does
 * not matter; the DSB+ISB before SCTLR.M makes all of them govern the first
 * access under the MPU, the ISB after it makes SCTLR itself take effect.
 */
void rt_mpu_init(void)
{
	struct rt_mpu_region r;
	unsigned n = rt_mpu_nregions();

	rt_write_mair0(RT_MAIR0_VALUE);
	rt_write_mair1(RT_MAIR1_VALUE);
	for (unsigned i = 0; i < n && i < 16u; i++) {
		if (rt_mpu_static_region(i, &r) == 0)
			(void)rt_mpu_write(i, r.prbar, r.prlar);
		else
			(void)rt_mpu_write(i, 0, 0);
	}
	rt_mpu_sync();
	rt_write_sctlr(rt_read_sctlr() | RT_SCTLR_M | RT_SCTLR_BR | RT_SCTLR_C |
		       RT_SCTLR_I);
	rt_isb();
}
