/* SPDX-License-Identifier: MIT */
/*
 * The harness kernel's system-call ABI, shared by EL1 (kernel) and EL0
 * (threads): `svc #n` with arguments in r0..r3 and the result in r0; every
 * other register survives the call. Fault kinds of the fault log.
 */
#ifndef PRS_KERNEL_ABI_H
#define PRS_KERNEL_ABI_H

#include <stdint.h>

enum prs_k_sys {
	PRS_K_SYS_YIELD = 1,  /* give the CPU to the next ready thread of this core */
	PRS_K_SYS_EXIT = 2,   /* r0: exit code; never returns */
	PRS_K_SYS_RECORD = 3, /* r0: value appended to the caller's record log */
	PRS_K_SYS_GRANT = 4,  /* r0 tid, r1 base, r2 size, r3 PRS_K_ATTR(): prs error code */
	PRS_K_SYS_REVOKE = 5, /* r0 tid, r1 base, r2 size: prs error code */
	PRS_K_SYS_WORD = 6,   /* r0 tid: the thread's published word (prsched/publish.h) */
	PRS_K_SYS_FAULTS = 7, /* faults recorded for the caller so far */
	PRS_K_SYS_SELF = 8,   /* the caller's thread id */
	PRS_K_SYS_CPU = 9,    /* the core the caller runs on */
	/* Dynamic MPU slots of the caller's core disabled now, read back (its set is loaded). */
	PRS_K_SYS_MPU_FREE = 10,
	/* Memory domains (prs_k_domain_*), by domain id; each returns a prs error code. */
	PRS_K_SYS_DOM_ADD = 11,    /* r0 domain, r1 base, r2 size, r3 PRS_K_ATTR() */
	PRS_K_SYS_DOM_REMOVE = 12, /* r0 domain, r1 base, r2 size: returns once no core maps it */
	PRS_K_SYS_DOM_JOIN = 13,   /* r0 domain, r1 tid */
	PRS_K_SYS_DOM_LEAVE = 14,  /* r0 domain, r1 tid: returns once no core maps it for tid */
	/*
	 * The caller's struct prs_k_counts since its previous COUNTS call (the
	 * first: since it started): r0 real faults, r1 data fault-ins, r2 exec
	 * fault-ins, r3 events. Four results: r0..r3 all change. It also
	 * loads the caller's set as published now if the core still owes it a
	 * reload: what follows starts from that set.
	 */
	PRS_K_SYS_COUNTS = 15,
	PRS_K_SYS_TIME = 16 /* CNTPCT[31:0] (62.5 MHz on QEMU; -icount: 16 instructions a tick) */
};

/* What the kernel counts per thread (struct prs_k_thread), as PRS_K_SYS_COUNTS returns it. */
struct prs_k_counts {
	uint32_t faults;    /* real faults: the thread's fault log */
	uint32_t fault_ins; /* data aborts prs_fault served: the access ran again */
	uint32_t exec_ins;  /* prefetch aborts prs_fault served */
	uint32_t events;    /* IRQs, switches in, reloads, publishes: see struct prs_k_thread */
};

/* The attributes of a grant, packed into one register (struct prs_range fields). */
#define PRS_K_ATTR(perm, memtype, share, opts)                                 \
	((uint32_t)(perm) | ((uint32_t)(memtype) << 8) | ((uint32_t)(share) << 16) | \
	 ((uint32_t)(opts) << 24))

/* What an EL0 fault was (the abort hook's record). */
enum prs_k_fault_kind {
	PRS_K_FAULT_READ = 1,  /* data abort, DFSR.WnR = 0 */
	PRS_K_FAULT_WRITE = 2, /* data abort, DFSR.WnR = 1 */
	PRS_K_FAULT_EXEC = 3,  /* prefetch abort: the thread resumes at its lr */
	PRS_K_FAULT_UNDEF = 4  /* undefined instruction: skipped */
};

#endif
