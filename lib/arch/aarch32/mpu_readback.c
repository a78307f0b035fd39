/* SPDX-License-Identifier: MIT */
/* AArch32 MPU read-back (MRC), for tests on target. */
#include "prsched/mpu_readback.h"
#include "slots.h"

#define RD_CASE(n, lar)                                                                 \
	case n:                                                                         \
		if ((n) < 16)                                                           \
			__asm__ volatile("mrc p15, 0, %0, c6, c%c1, %c2"                \
					 : "=r"(v)                                      \
					 : "i"(8 + (((n) >> 1) & 7)), "i"(((n) & 1) * 4 + (lar))); \
		else                                                                    \
			__asm__ volatile("mcr p15, 0, %1, c6, c2, 1\n\tisb\n\t"         \
					 "mrc p15, 0, %0, c6, c3, %c2"                  \
					 : "=r"(v)                                      \
					 : "r"((uint32_t)(n)), "i"(lar)                 \
					 : "memory");                                   \
		break;
#define RD_BAR(n) RD_CASE(n, 0)
#define RD_LAR(n) RD_CASE(n, 1)

prs_reg_t prs_mpu_read_prbar(unsigned n)
{
	uint32_t v = 0;

	switch (n) {
		PRS_EACH_SLOT(RD_BAR)
	default:
		break;
	}
	return v;
}

prs_reg_t prs_mpu_read_prlar(unsigned n)
{
	uint32_t v = 0;

	switch (n) {
		PRS_EACH_SLOT(RD_LAR)
	default:
		break;
	}
	return v;
}

unsigned prs_mpu_read_regions(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 4" : "=r"(v));
	return (v >> 8) & 0xFFu;
}
