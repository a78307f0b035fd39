/* SPDX-License-Identifier: MIT */
/*
 * AArch64 MPU read-back for tests on target: the switch path's own
 * accessors, PRSELR_EL1 back to 0 (and synchronized) after a bank-1 read.
 */
#include "prsched/mpu_readback.h"
#include "mpu_backend.h"

/* PRBARn_EL1 (lar 0) or PRLARn_EL1 (lar 1) of region n. */
static prs_reg_t read_region(unsigned n, int lar)
{
	struct prs_mpu_batch b = { 0 };
	prs_reg_t v;

	if (n >= 16u) {
		prs_mpu_bank_hi(&b);
	}
	v = lar ? prs_mpu_rd_prlar(&b, n) : prs_mpu_rd_prbar(&b, n);
	if (n >= 16u) {
		prs_mpu_bank_lo(&b);
		prs_mpu_isb(&b);
	}
	return v;
}

prs_reg_t prs_mpu_read_prbar(unsigned n)
{
	return read_region(n, 0);
}

prs_reg_t prs_mpu_read_prlar(unsigned n)
{
	return read_region(n, 1);
}

unsigned prs_mpu_read_regions(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, S3_0_C0_C0_4" : "=r"(v));
	return (unsigned)(v & 0xFFu);
}
