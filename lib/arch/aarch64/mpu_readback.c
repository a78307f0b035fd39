/* SPDX-License-Identifier: MIT */
/*
 * AArch64 MPU read-back for tests on target: the switch path's own
 * accessors, PRSELR_EL1 back to 0 (and synchronized) after a bank-1 read.
 */
#include "prsched/mpu_readback.h"
#include "mpu_backend.h"

prs_reg_t prs_mpu_read_prbar(unsigned n)
{
	struct prs_mpu_batch b = { 0 };
	prs_reg_t v;

	if (n < 16u) {
		v = prs_mpu_rd_prbar(&b, n);
	} else {
		prs_mpu_bank_hi(&b);
		v = prs_mpu_rd_prbar(&b, n);
		prs_mpu_bank_lo(&b);
		prs_mpu_isb(&b);
	}
	return v;
}

prs_reg_t prs_mpu_read_prlar(unsigned n)
{
	struct prs_mpu_batch b = { 0 };
	prs_reg_t v;

	if (n < 16u) {
		v = prs_mpu_rd_prlar(&b, n);
	} else {
		prs_mpu_bank_hi(&b);
		v = prs_mpu_rd_prlar(&b, n);
		prs_mpu_bank_lo(&b);
		prs_mpu_isb(&b);
	}
	return v;
}

unsigned prs_mpu_read_regions(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, S3_0_C0_C0_4" : "=r"(v));
	return (unsigned)(v & 0xFFu);
}
