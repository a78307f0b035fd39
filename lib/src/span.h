/* SPDX-License-Identifier: MIT */
/*
 * The address field of PRBAR/PRLAR: the one decoder of addresses
 * (prs_reg_span in region.c is built on it), inline so the fault path's
 * look-up (percpu/src/fault.c) masks each pair without a call.
 */
#ifndef PRSCHED_LIB_SPAN_H
#define PRSCHED_LIB_SPAN_H

#include <stdint.h>
#include "prsched/region.h"

#define PRS_GRAN_MASK ((uint64_t)PRS_GRANULE - 1u)
#define PRS_ADDR_FIELD(bits) ((((uint64_t)1 << (bits)) - 1u) & ~PRS_GRAN_MASK)

/*
 * The base/limit bits of a PRBAR/PRLAR value of arch a: [47:6] for AArch64
 * where prs_reg_t holds 64 bits, else [31:6] (AArch32, and AArch64 values
 * on a 32-bit build, which can only name the first 4 GiB).
 */
static inline uint64_t prs_span_mask(enum prs_arch a)
{
	return ((a == PRS_ARCH_AARCH64) && (sizeof(prs_reg_t) >= 8u)) ? PRS_ADDR_FIELD(48u)
								  : PRS_ADDR_FIELD(32u);
}

#endif
