/* SPDX-License-Identifier: MIT */
/* GICv3 (QEMU mps3-an536: one distributor, one redistributor per core) and the EL1 timer. */
#ifndef PRS_K_GIC_H
#define PRS_K_GIC_H

#include <stdint.h>

#define PRS_K_INTID_TIMER 30u  /* EL1 physical timer PPI */
#define PRS_K_SGI_RELOAD 0u    /* prsched reload request */
#define PRS_K_SPURIOUS 1020u   /* INTIDs 1020..1023 are not interrupts */

/* Distributor (core 0, once). */
void prs_k_gic_dist_init(void);
/* This core's redistributor and CPU interface. */
void prs_k_gic_cpu_init(unsigned cpu);
/* Acknowledge the highest-priority pending Group 1 interrupt: its INTID. */
uint32_t prs_k_gic_ack(void);
void prs_k_gic_eoi(uint32_t intid);
/* Send SGI `intid` to the cores in mask (bit n = Aff0 n, same cluster). */
void prs_k_gic_sgi(uint32_t intid, uint32_t mask);

/* EL1 physical timer: fire every `ticks` counter ticks. */
void prs_k_timer_start(uint32_t ticks);
void prs_k_timer_rearm(uint32_t ticks);
void prs_k_timer_stop(void);

#endif
