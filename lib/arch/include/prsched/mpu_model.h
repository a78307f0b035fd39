/* SPDX-License-Identifier: MIT */
/*
 * Host MPU model: what the switch path writes on the host instead of system
 * registers. It follows the architecture's rule for MPU writes: a write is
 * only guaranteed to govern accesses after the next context synchronization
 * (ISB). Until then each register may hold its old value or any value
 * written since, in any mix across registers. The model keeps those writes
 * pending, lets a test look at any mix, and commits them at ISB.
 *
 * With `check` set, every ISB first verifies the batch it closes: in no mix
 * may an enabled region other than a static one overlap a "touched" range
 * (by default the image's static regions: the memory the switch path runs
 * from), and each touched range must be matched exactly once (invariant 6).
 */
#ifndef PRSCHED_MPU_MODEL_H
#define PRSCHED_MPU_MODEL_H

#include <stdint.h>
#include "prsched/set.h"

#define PRS_MPU_MODEL_PENDING 128
#define PRS_MPU_MODEL_TOUCHED 32
/* Batches up to this many pending writes are checked over every subset. */
#define PRS_MPU_MODEL_EXHAUSTIVE 10
/* Larger batches: this many random subsets (plus the exact per-slot check). */
#define PRS_MPU_MODEL_SAMPLES 256

struct prs_mpu_range {
	uint64_t base, limit; /* inclusive */
};

struct prs_mpu_write {
	uint8_t lar;  /* 0 PRBAR, 1 PRLAR */
	uint8_t slot;
	prs_reg_t val;
};

struct prs_mpu_model {
	unsigned nslots, nstatic;
	uint8_t arch;
	/* in force: everything committed by the last ISB */
	prs_reg_t prbar[PRS_MAX_REGIONS], prlar[PRS_MAX_REGIONS];
	struct prs_mpu_write pend[PRS_MPU_MODEL_PENDING];
	unsigned npend;
	/* counters */
	unsigned long writes, dsbs, isbs;
	/* Event log since the last reset (tests clear nlog): 'D' DSB, 'I' ISB,
	 * 'B'/'L' PRBAR/PRLAR write. Stops at the end of the buffer. */
	char log[256];
	unsigned nlog;
	/* the invariant-6 check */
	int check;
	unsigned ntouched;
	struct prs_mpu_range touched[PRS_MPU_MODEL_TOUCHED];
	unsigned long batches_checked, states_checked, violations;
	char first_violation[160];
	uint64_t rng;
	/* Called after every write is queued (tests use it to interleave). */
	void (*on_write)(struct prs_mpu_model *m, void *arg);
	void *on_write_arg;
};

/* Registers = image; touched = the image's enabled static regions; check off. */
void prs_mpu_model_init(struct prs_mpu_model *m, const struct prs_set *image);

/* Backend entry points (m is a struct prs_mpu_model *). */
void prs_mpu_model_write(void *m, int lar, unsigned slot, prs_reg_t val);
void prs_mpu_model_dsb(void *m);
void prs_mpu_model_isb(void *m);
/* What a direct read of the register returns: the last value written to it. */
prs_reg_t prs_mpu_model_read(void *m, int lar, unsigned slot);

/* Decode one register pair of `arch`; returns non-zero when enabled. */
int prs_mpu_model_region(uint8_t arch, prs_reg_t prbar, prs_reg_t prlar,
			 struct prs_mpu_range *r);

/* The registers in force if exactly the pending writes with take[i] != 0 took effect. */
void prs_mpu_model_mix(const struct prs_mpu_model *m, const uint8_t *take,
		       prs_reg_t *prbar, prs_reg_t *prlar);

/* Enabled regions of (prbar, prlar) containing addr; the lowest in *slot. 2+ = fault. */
unsigned prs_mpu_model_match(const struct prs_mpu_model *m, const prs_reg_t *prbar,
			     const prs_reg_t *prlar, uint64_t addr, unsigned *slot);

/* Check the pending batch now (what ISB does when check is set); returns violations found. */
unsigned long prs_mpu_model_check_pending(struct prs_mpu_model *m);

#endif
