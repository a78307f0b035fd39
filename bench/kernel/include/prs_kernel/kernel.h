/* SPDX-License-Identifier: MIT */
/*
 * prs_kernel: a minimal SMP kernel for QEMU mps3-an536 (two Cortex-R52) on
 * top of prs_rt, used by the QEMU integration tests and the switch
 * benchmark. Per core: a round-robin preemptive scheduler driven by the EL1
 * physical timer (PPI 30) through the GICv3, EL0 threads pinned to that
 * core, system calls (prs_kernel/abi.h), and the reload IPI (SGI) that
 * carries prsched's reload requests between the cores.
 *
 * Memory. Each thread's MPU set is built by prsched (struct prs_thread) from
 * its memory domains (prsched domains: shared partitions, outermost) and
 * its own layer: private partitions, and its stack with a no-access guard
 * below it. Every CPU's
 * dynamic base layer maps the user section (.prs_user: thread code, EL0 RO
 * + executable). The runtime's static regions (kernel code, data, stacks,
 * devices) are EL1-only. Thread memory comes from prs_k_pages(): 4 KiB
 * pages above the image, outside every static region.
 *
 * Use, on core 0 from main():
 *   prs_k_init(&cfg); prs_k_domain_init(&d); prs_k_domain_add(&d, &r);
 *   prs_k_thread_create(&desc, &t) ...; prs_k_run();   // until all exit
 * Threads are created before prs_k_run() and stay on their core.
 * Grants and revokes (prs_k_grant / prs_k_revoke, or the EL0 system calls)
 * may run on any core at any time while the scheduler runs; they return
 * after every core has stopped using the old set (synchronous revoke).
 */
#ifndef PRS_KERNEL_KERNEL_H
#define PRS_KERNEL_KERNEL_H

#include <stdatomic.h>
#include <stdint.h>

#include "prs_kernel/abi.h"
#include "prsched/domain.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"
#include "rt/exc.h"

#define PRS_K_MAX_THREADS 16u
#define PRS_K_PRIV_CAP 32u   /* private partitions per thread */
#define PRS_K_DOMAIN_CAP 8u  /* partitions per memory domain */
#define PRS_K_MAX_DOMAINS 8u /* domains the kernel knows by id (system calls) */
#define PRS_K_FAULT_LOG 32u  /* faults kept per thread (all are counted) */
#define PRS_K_RECORD_LOG 32u /* recorded values kept per thread (all are counted) */
#define PRS_K_PAGE 4096u

struct prs_k_config {
	uint32_t tick_us; /* timer tick; 0: 1000 us */
	/*
	 * Regions one thread's set may hold, statics included
	 * (prs_layout_set_capacity): 0 means the MPU's region count (every
	 * set must fit its slots, as before). More makes the layout
	 * oversized, up to PRS_MAX_SET_REGIONS: the switch loads a set's
	 * hottest regions (the thread's own layer first, then its domains,
	 * the user section last) and the abort handler brings the others in
	 * on a fault (prs_fault).
	 */
	unsigned capacity;
};

/* A set of partitions several threads share (their outermost layer): a prsched domain. */
struct prs_k_domain {
	struct prs_domain d;
	struct prs_rangeset_entry e[PRS_K_DOMAIN_CAP];
	uint32_t id; /* index for the system calls */
};

struct prs_k_thread_desc {
	const char *name;
	void (*entry)(void *arg); /* PRS_K_USER code (prs_kernel/user.h) */
	void *arg;                /* in r0 */
	unsigned cpu;             /* the core it runs on */
	uint32_t stack_size;      /* 0: one page; rounded up to pages */
	uint32_t guard_size;      /* no-access hole below the stack; 0: one page */
	struct prs_k_domain *domain;         /* joined at creation; may be NULL */
	const struct prs_range *parts;       /* private partitions */
	unsigned nparts;
};

struct prs_k_fault {
	uint32_t addr; /* DFAR / IFAR */
	uint32_t pc;   /* the faulting instruction (for exec: the target) */
	uint8_t kind;  /* enum prs_k_fault_kind */
};

enum prs_k_state { PRS_K_READY = 1, PRS_K_RUNNING, PRS_K_EXITED };

struct prs_k_thread {
	/* prsched's thread (its handle: the switch path reads it; must stay in .bss). */
	struct prs_thread th;
	struct rt_frame frame; /* saved user context while not running */
	uint32_t id;
	unsigned cpu;
	_Atomic unsigned state;
	uint32_t exit_code;
	const char *name;
	uintptr_t stack_lo, stack_hi, guard_lo; /* stack [lo, hi), guard [guard_lo, lo) */
	/* The own layer's storage: private partitions, the stack and its guard. */
	struct prs_rangeset_entry own_e[PRS_K_PRIV_CAP + 2u];
	/* Written by the thread's own core only; read by main() after prs_k_run(). */
	uint32_t nfaults;
	struct prs_k_fault faults[PRS_K_FAULT_LOG];
	uint32_t nrecords;
	uint32_t records[PRS_K_RECORD_LOG];
	uint32_t switches_in;
	/*
	 * MPU faults prs_fault served by bringing a region in (the thread
	 * re-ran the access): data aborts, prefetch aborts. Real faults are
	 * nfaults.
	 */
	uint32_t fault_ins, exec_fault_ins;
	/*
	 * IRQs taken while the thread ran, switches into it, reloads served
	 * while it was current, and publishes of its set a PRS_K_SYS_COUNTS
	 * call finds since the previous one: every event besides its own
	 * faults that may rewrite the MPU under it (or only take time).
	 */
	uint32_t events;
	struct prs_k_counts seen; /* the counters at its last PRS_K_SYS_COUNTS */
	uint32_t seen_word;       /* its published word then */
};

/* Per-core counters, written by that core only. */
struct prs_k_cpu_stats {
	uint32_t ticks, switches, idle_entries, yields, syscalls, sgis, reload_ipis;
	uint32_t grants, revokes;
	uint32_t fault_ins; /* EL0 aborts prs_fault served (RETRY) */
};

/*
 * Set up prsched (system, CPUs, layout) and the kernel; 0 or a prs error
 * code (cfg may be NULL: the defaults; a capacity the layout refuses:
 * PRS_E_ARG).
 */
int prs_k_init(const struct prs_k_config *cfg);

/* size bytes (rounded up to pages) of page-aligned memory outside the image;
 * EL1 may write it until a thread maps it read-only. NULL when exhausted. */
void *prs_k_pages(uint32_t size);

/* After prs_k_init; at most PRS_K_MAX_DOMAINS (PRS_E_FULL). */
int prs_k_domain_init(struct prs_k_domain *d);
struct prs_k_domain *prs_k_domain_get(uint32_t id);
/*
 * Any core, any time (prsched/domain.h): add a partition (every member
 * republished, all or nothing), remove one (returns once no core runs a
 * member with it mapped), join / leave (leave returns once no core runs t
 * with the domain mapped).
 */
int prs_k_domain_add(struct prs_k_domain *d, const struct prs_range *r);
int prs_k_domain_remove(struct prs_k_domain *d, uint64_t base, uint64_t size);
int prs_k_domain_join(struct prs_k_domain *d, struct prs_k_thread *t);
int prs_k_domain_leave(struct prs_k_domain *d, struct prs_k_thread *t);

/* Create a thread (before prs_k_run); 0 or a prs error code. */
int prs_k_thread_create(const struct prs_k_thread_desc *d, struct prs_k_thread **out);
struct prs_k_thread *prs_k_thread_get(uint32_t id);
uint32_t prs_k_nthreads(void);

/*
 * Start the scheduler on every core and run until every thread has exited.
 * Core 0 only; returns 0, or -1 if a core could not be started.
 */
int prs_k_run(void);

/*
 * Add r to t's private partitions, or drop one reference on exactly [base,
 * base + size), then rebuild and republish t's set for every CPU and wait
 * until no CPU can still run t with the old set. On any error (rangeset,
 * builder, publish) nothing changes: the partitions, the published word and
 * every loaded set stay as they were. Any core, scheduler running or not;
 * IRQs masked by the caller or not (the wait serves this core's own reload
 * requests).
 */
int prs_k_grant(struct prs_k_thread *t, const struct prs_range *r);
int prs_k_revoke(struct prs_k_thread *t, uint64_t base, uint64_t size);

/* t's published word (prsched/publish.h: epoch, version index). */
uint32_t prs_k_word(const struct prs_k_thread *t);

/*
 * The prsched state, for statistics and benchmarks. The per-CPU counters
 * (prs_cpu.stats) count only in the PRS_STATS=1 variants (prs_kernel_stats,
 * prs_kernel_fenced); system-wide publishes and pin waits always.
 */
struct prs_system *prs_k_system(void);
struct prs_cpu *prs_k_prs_cpu(unsigned cpu);
const struct prs_k_cpu_stats *prs_k_cpu_stats(unsigned cpu);

/* The user section (thread code), as mapped in every CPU's base layer. */
uintptr_t prs_k_user_start(void);
uintptr_t prs_k_user_end(void);

/* Print a one-line summary per core (switches, reloads, faults, ...). */
void prs_k_print_stats(const char *tag);

#endif
