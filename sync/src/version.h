/* SPDX-License-Identifier: MIT */
/*
 * Library-internal: a version as it lies in the pool. Written only by the
 * writer holding the system lock; readers copy the class sets (reader.h).
 *
 *   struct prs_vhdr                 owner, epoch, current (writers only)
 *   class 0 set: key, pairs         at cls[0].off
 *   class 1 set: ...                at cls[1].off
 *
 * A class set stores the dynamic slots [nstatic, capacity) as PRBAR, PRLAR
 * pairs in slot order (one LDRD on AArch32, one LDP on AArch64), disabled
 * slots as (the class's residue, 0), and before them a key for the switch:
 * bits [7:0] the end of what the MPU can hold, min(nstatic + ndyn, nslots);
 * bits [15:8] the end of the whole set, nstatic + ndyn (larger only for an
 * oversized set: the pairs past nslots are what prs_fault brings in); plus
 * PRS_KEY_AWAY when some enabled region lies outside the class's home gap
 * (the copy and the fault-in must then order their writes; percpu/src/copy.h).
 */
#ifndef PRSCHED_SYNC_VERSION_H
#define PRSCHED_SYNC_VERSION_H

#include <stdint.h>
#include "prsched/publish.h"

/*
 * The writer lock may use exclusives (a CAS spin lock when the kernel gives
 * neither a lock nor a cpu_id callback) only where the build opts in:
 * CMake's PRS_WRITER_EXCLUSIVES, ON for the host and Linux user-mode
 * builds, OFF for bare-metal targets (publish.c, prs_writer_lock).
 */
#if (defined(__arm__) || defined(__aarch64__)) && !defined(__linux__)
#define PRS_BARE_METAL 1 /* EL1: MPIDR names the CPU (lib/arch/cpu_index.h) */
#else
#define PRS_BARE_METAL 0
#endif
#ifndef PRS_WRITER_EXCLUSIVES
#define PRS_WRITER_EXCLUSIVES (!PRS_BARE_METAL)
#endif

#define PRS_KEY_END 0xFFu
#define PRS_KEY_TOTAL_SHIFT 8u /* bits [15:8]: nstatic + ndyn */
#define PRS_KEY_AWAY 0x80000000u /* the sign bit: one ORRS tests two keys */

struct prs_vhdr {
	struct prs_handle *owner; /* handle last published with this version */
	uint32_t epoch;           /* its epoch then */
	uint32_t cur;             /* current version of owner */
	void *pad;                /* keeps the class sets 8-byte aligned */
};

struct prs_vset {
	uint32_t key;
	uint32_t pad;
	prs_reg_t pair[][2]; /* slots nstatic.. in order: PRBAR, PRLAR */
};

static inline struct prs_vhdr *prs_vhdr_of(const struct prs_system *sys, uint32_t v)
{
	return (struct prs_vhdr *)(void *)(sys->pool + (uintptr_t)v * sys->vstride);
}

static inline struct prs_vset *prs_vset_of(const struct prs_system *sys, uint32_t v,
					   unsigned cls)
{
	return (struct prs_vset *)(void *)(sys->pool + (uintptr_t)v * sys->vstride +
					   sys->cls[cls].off);
}

/* Bytes of one class set with `ndyn` dynamic slots. */
static inline uint32_t prs_vset_bytes(unsigned ndyn)
{
	return (uint32_t)(sizeof(struct prs_vset) + ndyn * 2u * sizeof(prs_reg_t));
}

/* Fix the pool layout (first handle): PRS_E_NOCPU, PRS_E_POOL, PRS_E_PLACEMENT (the pool). */
int prs_system_start(struct prs_system *sys);

/* Writer side (publish.c), under the system's writer lock where it says so. */
void prs_writer_lock(struct prs_system *sys);
void prs_writer_unlock(struct prs_system *sys);
/* Under the lock: a version neither current nor pinned (may wait, Claim 2). */
uint32_t prs_pool_take(struct prs_system *sys);
/* Under the lock: encode the staged sets into v, publish it for h; the reload mask. */
uint32_t prs_publish_version(struct prs_system *sys, struct prs_handle *h, uint32_t v,
			     uint32_t epoch, int first);

/*
 * Under the lock, the staged sets checked: publish them as h's next epoch,
 * fill t (may be NULL). Returns the reload mask: the caller sends it with
 * cfg.reload after releasing the lock.
 */
uint32_t prs_publish_next(struct prs_system *sys, struct prs_handle *h, struct prs_ticket *t);
/*
 * Under the lock, the staged sets checked (prs_version_check): publish them
 * as h's next version, release the lock, send the reload requests.
 */
void prs_publish_staged(struct prs_handle *h, struct prs_ticket *t);
/* After the lock is released: the reload requests of the publishes made under it. */
void prs_send_reload(const struct prs_system *sys, uint32_t mask);

/* [p, p + n) inside a static region of every class, if the system checks placement. */
int prs_placed(const struct prs_system *sys, const void *p, uint64_t n);

/* Under the lock, the staged sets checked: publish them as h's first version (handle.c). */
int prs_handle_start(struct prs_handle *h, struct prs_system *sys);

/* Encode the (checked) full set s of class c into vs. */
void prs_vset_encode(const struct prs_class *c, const struct prs_set *s, struct prs_vset *vs);

/* Decode vs of class c into a full set (statics from the class image). */
void prs_vset_decode(const struct prs_class *c, const struct prs_vset *vs, struct prs_set *s);

#endif
