/* SPDX-License-Identifier: MIT */
/*
 * The host system sync.thread and sync.domain run on: two CPUs with the
 * same 4 static regions (0x10000000, 0x20000000, 0x30000000, 0x40000000,
 * 64 KiB each), a host MPU model per CPU checking every batch, and a
 * reload callback that delivers the "IPI" at once (tc_ipi_now) or leaves
 * it pending for the relax hook (tc_relax), as a kernel waiting with IRQs
 * masked serves its own CPU.
 */
#ifndef PRS_SYNC_TWOCPU_H
#define PRS_SYNC_TWOCPU_H

#include <stddef.h>
#include <stdint.h>
#include "prs_test.h"
#include "prsched/error.h"
#include "prsched/mpu_model.h"
#include "prsched/thread.h"

#define TC_NCPU 2u

extern struct prs_system tc_sys;
extern struct prs_cpu tc_cpu[TC_NCPU];
extern struct prs_mpu_model tc_mpu[TC_NCPU];
extern int tc_ipi_now;          /* deliver reload requests at once */
extern uint32_t tc_ipi_pending; /* requests not delivered yet */
extern unsigned tc_relax_calls; /* calls of the relax hook */

/* A fresh system: nregions MPU slots (4 static) per CPU, the pool given; relax hook if relax. */
void tc_init(unsigned nregions, void *pool, size_t pool_bytes, int relax);

/*
 * The same with layouts of `capacity` regions (prs_layout_set_capacity; 0:
 * nregions) and the home gap at `home` (prs_layout_set_home; 0: the default).
 */
void tc_init_cap(unsigned nregions, unsigned capacity, uint64_t home, void *pool,
		 size_t pool_bytes, int relax);

/* The range [base, base + size) with perm, memory type 0, non-shareable. */
struct prs_range tc_range(uint64_t base, uint64_t size, uint8_t perm);

/* Enabled regions of CPU k's MPU (in force) that contain addr. */
unsigned tc_mapped(unsigned k, uint64_t addr);

#endif
