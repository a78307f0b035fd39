/* SPDX-License-Identifier: MIT */
/* AArch32 system registers the runtime and its tests read (Cortex-R52). */
#ifndef RT_SYSREG_H
#define RT_SYSREG_H

#include <stdint.h>

#define RT_SYSREG_RD(name, op1, crn, crm, op2)                                  \
	static inline uint32_t rt_read_##name(void)                             \
	{                                                                       \
		uint32_t v;                                                     \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
				 : "=r"(v));                                    \
		return v;                                                       \
	}
#define RT_SYSREG_WR(name, op1, crn, crm, op2)                                  \
	static inline void rt_write_##name(uint32_t v)                          \
	{                                                                       \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
				 : : "r"(v) : "memory");                        \
	}
#define RT_SYSREG_RW(name, op1, crn, crm, op2) \
	RT_SYSREG_RD(name, op1, crn, crm, op2)  \
	RT_SYSREG_WR(name, op1, crn, crm, op2)

RT_SYSREG_RD(mpidr, 0, c0, c0, 5)
RT_SYSREG_RD(mpuir, 0, c0, c0, 4)
RT_SYSREG_RW(sctlr, 0, c1, c0, 0)
RT_SYSREG_RW(vbar, 0, c12, c0, 0)
RT_SYSREG_RW(mair0, 0, c10, c2, 0)
RT_SYSREG_RW(mair1, 0, c10, c2, 1)
RT_SYSREG_RD(dfsr, 0, c5, c0, 0)
RT_SYSREG_RD(ifsr, 0, c5, c0, 1)
RT_SYSREG_RD(dfar, 0, c6, c0, 0)
RT_SYSREG_RD(ifar, 0, c6, c0, 2)
RT_SYSREG_RD(cntfrq, 0, c14, c0, 0)
/* EL2 only. */
RT_SYSREG_RD(hsr, 4, c5, c2, 0)
RT_SYSREG_RD(hdfar, 4, c6, c0, 0)
RT_SYSREG_RD(hifar, 4, c6, c0, 2)

static inline uint32_t rt_read_cpsr(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

static inline uint64_t rt_read_cntpct(void)
{
	uint32_t lo, hi;

	/* ISB: without it the counter may be read early (out of order). */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi)
			 : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void rt_dsb(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void rt_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void rt_wfe(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

/* DSB first so the store that the waiter polls is visible before it wakes. */
static inline void rt_sev(void)
{
	__asm__ volatile("dsb sy\n\tsev" : : : "memory");
}

static inline void rt_irq_enable(void)
{
	__asm__ volatile("cpsie i" : : : "memory");
}

static inline void rt_irq_disable(void)
{
	__asm__ volatile("cpsid i" : : : "memory");
}

#endif
