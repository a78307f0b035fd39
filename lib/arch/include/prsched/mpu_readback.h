/* SPDX-License-Identifier: MIT */
/*
 * Read-back of the EL1 MPU registers on target (firmware tests compare what
 * the switch wrote with the published set). Not for the switch path.
 */
#ifndef PRSCHED_MPU_READBACK_H
#define PRSCHED_MPU_READBACK_H

#include "prsched/set.h"

#if defined(__arm__) || defined(__aarch64__)
/* PRBARn / PRLARn of region n (direct registers; n >= 16 through PRSELR). */
prs_reg_t prs_mpu_read_prbar(unsigned n);
prs_reg_t prs_mpu_read_prlar(unsigned n);
/* EL1 region count from MPUIR. */
unsigned prs_mpu_read_regions(void);
#endif

#endif
