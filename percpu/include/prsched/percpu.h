/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU MPU state and the two entry points the kernel calls with IRQs
 * off: prs_switch() from its context switch, prs_reload() from the IPI
 * handler its reload callback triggers. Neither waits, locks, allocates or
 * loops (invariant 2; checked on the r52 and r82 builds by
 * tests/sync/check_switch_asm.py).
 *
 * Placement (invariant 8): see prsched/publish.h. Each struct prs_cpu must
 * be readable by every CPU (writers scan its reader's first line) and lie
 * inside a static region of its own CPU.
 */
#ifndef PRSCHED_PERCPU_H
#define PRSCHED_PERCPU_H

#include <stdatomic.h>
#include <stdint.h>
#include "prsched/build.h"
#include "prsched/config.h"
#include "prsched/publish.h"
#include "prsched/set.h"

/*
 * Counters, each written only by its CPU, readable by anyone. Kept only in
 * a build with PRS_STATS=1 (the production switch path counts nothing);
 * otherwise they stay 0.
 */
#ifndef PRS_STATS
#define PRS_STATS 0
#endif
struct prs_cpu_stats {
	_Atomic uint32_t fast;          /* switches that found the loaded version current */
	_Atomic uint32_t slow;          /* switches that copied a version */
	_Atomic uint32_t reloads;       /* prs_reload calls */
	_Atomic uint32_t reload_copies; /* prs_reload calls that copied a version */
	_Atomic uint32_t mpu_writes;    /* PRBAR/PRLAR writes */
	_Atomic uint32_t barriers;      /* DSB + ISB issued by the switch path */
	_Atomic uint32_t faults;        /* prs_fault calls */
	_Atomic uint32_t fault_ins;     /* regions prs_fault wrote into a slot */
};

struct prs_cpu {
	/* The protocol's per-CPU words and this CPU's view of the pool (sync). */
	struct prs_reader rd;

	/* Private to this CPU's switch path from here on. */
	uint8_t nstatic;
	/*
	 * What the MPU holds, in the form of a version's key: bits [7:0] hi,
	 * every slot >= hi is disabled with a PRBAR inside the class's home
	 * gap; PRS_KEY_AWAY (bit 31) when some slot below hi may hold a PRBAR
	 * outside it (or unknown: after init). percpu/src/copy.h.
	 */
	uint32_t state;
	uint8_t arch;   /* enum prs_arch of the layout (prs_fault's decoder) */
	uint8_t victim; /* prs_fault's next slot to replace (round robin) */
	void *hw; /* host: struct prs_mpu_model *; target: unused */
	struct prs_cpu_stats stats;
};

/*
 * Add CPU `id` with its layout (static regions, dynamic base; it must
 * outlive the system). CPUs with identical layouts (same statics, same base
 * rangeset object) share a layout class and one set per version. The MPU
 * must hold the layout's static image (prs_layout_image; prs_mpu_boot loads
 * it) and no enabled dynamic region over memory the switch touches; the
 * first switch rewrites every dynamic slot in the safe order. Every CPU is
 * added before the first handle is created. Errors: PRS_E_NULL, PRS_E_ARG
 * (id out of range, added twice), PRS_E_STARTED (after the first handle),
 * PRS_E_LAYOUT (the region count is not a multiple of PRS_COPY_STEP, or
 * the static count differs from a build-time PRS_NSTATIC),
 * PRS_E_PLACEMENT (with PRS_SYS_CHECK_PLACEMENT: *c is not inside an
 * EL1-writable static region that is shareable or non-cacheable), the
 * codes of prs_layout_image.
 */
int prs_cpu_init(struct prs_system *sys, struct prs_cpu *c, unsigned id,
		 const struct prs_cpu_layout *layout);

/*
 * Context switch to the thread owning h, on the CPU owning c, IRQs off.
 * Copies h's published set for this CPU's class into the MPU unless it is
 * loaded.
 */
void prs_switch(struct prs_cpu *c, struct prs_handle *h);

/* IPI handler side of a reload request: re-copy the loaded handle if republished. */
void prs_reload(struct prs_cpu *c);

/* prs_fault results. */
#define PRS_FAULT_REAL 0  /* the thread's set does not grant the access: the kernel's fault */
#define PRS_FAULT_RETRY 1 /* the MPU now holds the region: return and re-run the access */

/*
 * MPU fault on the CPU owning c, in the thread owning h, IRQs off (the
 * kernel's data-abort and prefetch-abort handlers, for a permission or
 * background fault): `addr` is the faulting address (DFAR/IFAR, FAR_EL1),
 * `access` the PRS_EL1_R/W, PRS_EL0_R/W and PRS_EXEC bits the access
 * needed (an EL0 load: PRS_EL0_R; an EL0 store: PRS_EL0_W; an EL0
 * instruction fetch: PRS_EL0_R | PRS_EXEC).
 *
 * Looks addr up in h's published set (the same announce-and-pin protocol
 * as prs_switch: no waiting, no torn read) and returns PRS_FAULT_RETRY if
 * that set grants the access and the region was not in the MPU: it is now,
 * written over one dynamic slot (round robin), or the whole set was
 * reloaded because h was republished since the switch. Returns
 * PRS_FAULT_REAL when no region of the set grants the access at addr, and
 * also when the granting region is resident already (the fault had
 * another cause: alignment, or an access straddling into a region the
 * architecture reported by its first address).
 *
 * Only an oversized set (a layout with prs_layout_set_capacity above its
 * region count) ever needs it; for other sets it just classifies the
 * fault. Bounded: a linear look-up over the set, one read-back per dynamic
 * slot, 2 MPU writes and 2 barriers (3 and 3 when the set has a region
 * outside the home gap). Revocation stays synchronous: once a revoke
 * returns (its ticket complete), no CPU can fault the revoked range back
 * in (proof: percpu/src/fault.c).
 */
int prs_fault(struct prs_cpu *c, struct prs_handle *h, uint64_t addr, unsigned access);

/* Switches, fast + slow (PRS_STATS builds), as a convenience. */
uint32_t prs_cpu_switches(const struct prs_cpu *c);

/*
 * Boot: write the static image of `layout` into this CPU's MPU (static
 * slots, every other slot disabled), then DSB + ISB. Call it with the MPU
 * off or from code running in a region the image keeps. Target builds only.
 */
void prs_mpu_boot(const struct prs_set *image);

#endif
