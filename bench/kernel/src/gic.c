/* SPDX-License-Identifier: MIT */
/*
 * GICv3 with the system-register CPU interface, and the EL1 physical timer.
 * Register offsets and bits are from the GICv3 architecture specification;
 * the QEMU model of mps3-an536 has no security extensions, so there is one
 * Group 1 enable and all interrupts are made Group 1 (IRQ, not FIQ).
 * The distributor and redistributors lie in the runtime's static device
 * region (slot 3, EL1 only).
 */
#include "gic.h"
#include "rt/rt.h"

#define GICD_CTLR 0x0000u
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)

#define GICR_WAKER 0x0014u
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000u /* SGI/PPI frame */
#define GICR_IGROUPR0 (GICR_SGI + 0x080u)
#define GICR_ISENABLER0 (GICR_SGI + 0x100u)
#define GICR_IPRIORITYR (GICR_SGI + 0x400u)

#define PRS_K_PRIO 0x80u
#define PRS_K_PMR 0xf0u /* unmask every priority numerically below */

static volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

static volatile uint8_t *reg8(uintptr_t a)
{
	return (volatile uint8_t *)a;
}

#define ICC_WR(name, crn, crm, op2)                                                 \
	static inline void icc_write_##name(uint32_t v)                              \
	{                                                                            \
		__asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 : : "r"(v) \
				 : "memory");                                        \
	}
#define ICC_RD(name, crn, crm, op2)                                            \
	static inline uint32_t icc_read_##name(void)                            \
	{                                                                       \
		uint32_t v;                                                     \
		__asm__ volatile("mrc p15, 0, %0, " #crn ", " #crm ", " #op2    \
				 : "=r"(v) : : "memory");                       \
		return v;                                                       \
	}

ICC_RD(sre, c12, c12, 5)
ICC_WR(sre, c12, c12, 5)
ICC_WR(pmr, c4, c6, 0)
ICC_WR(bpr1, c12, c12, 3)
ICC_WR(igrpen1, c12, c12, 7)
ICC_RD(iar1, c12, c12, 0)
ICC_WR(eoir1, c12, c12, 1)

void prs_k_gic_dist_init(void)
{
	volatile uint32_t *ctlr = reg32(RT_GICD_BASE + GICD_CTLR);

	*ctlr = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1;
	while (*ctlr & GICD_CTLR_RWP)
		;
}

void prs_k_gic_cpu_init(unsigned cpu)
{
	uintptr_t rd = RT_GICR_BASE + cpu * RT_GICR_STRIDE;
	volatile uint32_t *waker = reg32(rd + GICR_WAKER);

	*waker &= ~GICR_WAKER_SLEEP;
	while (*waker & GICR_WAKER_ASLEEP)
		;
	*reg32(rd + GICR_IGROUPR0) = 0xffffffffu; /* SGIs and PPIs: Group 1 */
	*reg8(rd + GICR_IPRIORITYR + PRS_K_INTID_TIMER) = PRS_K_PRIO;
	*reg8(rd + GICR_IPRIORITYR + PRS_K_SGI_RELOAD) = PRS_K_PRIO;
	*reg32(rd + GICR_ISENABLER0) = (1u << PRS_K_INTID_TIMER) | (1u << PRS_K_SGI_RELOAD);

	icc_write_sre(icc_read_sre() | 1u); /* system-register interface */
	rt_isb();
	icc_write_pmr(PRS_K_PMR);
	icc_write_bpr1(0);
	icc_write_igrpen1(1);
	rt_isb();
}

uint32_t prs_k_gic_ack(void)
{
	return icc_read_iar1() & 0xffffffu;
}

void prs_k_gic_eoi(uint32_t intid)
{
	icc_write_eoir1(intid);
}

void prs_k_gic_sgi(uint32_t intid, uint32_t mask)
{
	uint32_t aff1 = (rt_read_mpidr() >> 8) & 0xffu;
	uint32_t lo = (mask & 0xffffu) | (aff1 << 16) | ((intid & 0xfu) << 24);
	uint32_t hi = 0; /* Aff2, Aff3 = 0, IRM = 0: the target list */

	/* DSB: the stores the receiver will read (the published word) complete first. */
	rt_dsb();
	__asm__ volatile("mcrr p15, 0, %0, %1, c12" : : "r"(lo), "r"(hi) : "memory");
	rt_isb();
}

static void cntp_write_tval(uint32_t v)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c2, 0" : : "r"(v) : "memory");
}

static void cntp_write_ctl(uint32_t v)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c2, 1" : : "r"(v) : "memory");
}

void prs_k_timer_start(uint32_t ticks)
{
	cntp_write_tval(ticks);
	cntp_write_ctl(1u); /* ENABLE, IMASK = 0 */
	rt_isb();
}

void prs_k_timer_rearm(uint32_t ticks)
{
	/* The new TVAL drops the level-sensitive PPI before the handler's EOI. */
	cntp_write_tval(ticks);
	rt_isb();
}

void prs_k_timer_stop(void)
{
	cntp_write_ctl(0u);
	rt_isb();
}
