/* SPDX-License-Identifier: MIT */
/* AArch32 MPU read-back for tests on target: the switch path's own accessors. */
#include "prsched/mpu_readback.h"
#include "mpu_backend.h"

prs_reg_t prs_mpu_read_prbar(unsigned n)
{
	struct prs_mpu_batch b = { 0 };

	return prs_mpu_rd_prbar(&b, n);
}

prs_reg_t prs_mpu_read_prlar(unsigned n)
{
	struct prs_mpu_batch b = { 0 };

	return prs_mpu_rd_prlar(&b, n);
}

unsigned prs_mpu_read_regions(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 4" : "=r"(v));
	return (v >> 8) & 0xFFu;
}
