/* SPDX-License-Identifier: MIT */
/* AArch64 MPU read-back (MRS), for tests on target. Leaves PRSELR_EL1 = 0. */
#include "prsched/mpu_readback.h"
#include "slots.h"

#define RD_CASE(n, lar)                                                                 \
	case n:                                                                         \
		__asm__ volatile("msr S3_0_C6_C2_1, %1\n\tisb\n\t"                      \
				 "mrs %0, S3_0_C6_C%c2_%c3\n\t"                         \
				 "msr S3_0_C6_C2_1, xzr\n\tisb"                         \
				 : "=r"(v)                                              \
				 : "r"((uint64_t)((n) & 16)), "i"(8 + (((n) >> 1) & 7)), \
				   "i"(((n) & 1) * 4 + (lar))                           \
				 : "memory");                                           \
		break;
#define RD_BAR(n) RD_CASE(n, 0)
#define RD_LAR(n) RD_CASE(n, 1)

prs_reg_t prs_mpu_read_prbar(unsigned n)
{
	uint64_t v = 0;

	switch (n) {
		PRS_EACH_SLOT(RD_BAR)
	default:
		break;
	}
	return v;
}

prs_reg_t prs_mpu_read_prlar(unsigned n)
{
	uint64_t v = 0;

	switch (n) {
		PRS_EACH_SLOT(RD_LAR)
	default:
		break;
	}
	return v;
}

unsigned prs_mpu_read_regions(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, S3_0_C0_C0_4" : "=r"(v));
	return (unsigned)(v & 0xFFu);
}
