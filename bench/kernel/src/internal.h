/* SPDX-License-Identifier: MIT */
/* State shared by the kernel's files. Everything here is in .bss: a static region. */
#ifndef PRS_K_INTERNAL_H
#define PRS_K_INTERNAL_H

#include "prs_kernel/kernel.h"
#include "prsched/build.h"
#include "rt/rt.h"

struct prs_k_cpu {
	struct prs_cpu pc; /* prsched's per-CPU state (first: cache-line aligned) */
	/*
	 * Set by a writer on any core before it sends the reload SGI, cleared
	 * by this core before it calls prs_reload (both seq_cst, see
	 * prs_k_reload_request / prs_k_serve_reload).
	 */
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t reload_pending;
	/* Private to this core (its handlers run with IRQs masked). */
	_Alignas(PRS_CACHE_LINE) struct prs_k_thread *cur; /* NULL: the idle context */
	struct rt_frame idle; /* the core's boot context (main / rt_serve), suspended */
	struct prs_k_thread *q[PRS_K_MAX_THREADS];
	unsigned nq, rr; /* run queue; rr = index of the last thread picked */
	struct prs_k_cpu_stats st;
};

struct prs_k_kernel {
	struct prs_system sys;
	struct prs_cpu_layout layout; /* same static map on every core */
	struct prs_rangeset base;     /* every CPU's dynamic base: the user section */
	struct prs_rangeset_entry base_e[1];
	unsigned ncpus;
	uint32_t tick; /* counter ticks per scheduler tick */
	uintptr_t next_page;
	uint32_t nthreads;
	/* Threads not yet exited (release by exits, acquire by the idle loops). */
	_Atomic uint32_t live;
	struct prs_k_domain *domains[PRS_K_MAX_DOMAINS];
	uint32_t ndomains;
};

extern struct prs_k_kernel prs_k;
extern struct prs_k_cpu prs_k_cpus[RT_MAX_CPUS];
extern struct prs_k_thread prs_k_threads[PRS_K_MAX_THREADS];

/* kernel.c */
int prs_k_check_mpu(void);
/* sched.c */
void prs_k_cpu_loop(unsigned cpu);
void prs_k_sched_link(void);
/* mem.c */
void prs_k_reload_request(void *ctx, uint32_t mask);
void prs_k_serve_reload(struct prs_k_cpu *kc);
void prs_k_wait_relax(void *ctx);
unsigned prs_k_cpu_index(void *ctx);
/* fault.c */
void prs_k_fault_link(void);
/* user.c */
void prs_k_user_exit(void);

static inline uint32_t prs_k_irq_save(void)
{
	uint32_t cpsr = rt_read_cpsr();

	rt_irq_disable();
	return cpsr;
}

static inline void prs_k_irq_restore(uint32_t cpsr)
{
	if (!(cpsr & RT_CPSR_I))
		rt_irq_enable();
}

#endif
