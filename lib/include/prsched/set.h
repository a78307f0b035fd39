/* SPDX-License-Identifier: MIT */
/*
 * The encoded region set: exactly the PRBARn/PRLARn values one CPU's MPU
 * holds while one thread runs there. The builder writes it off the switch
 * path; the switch path only compares and copies it.
 */
#ifndef PRSCHED_SET_H
#define PRSCHED_SET_H

#include <stdint.h>
#include "prsched/config.h"

/* Register width: AArch32 PRBAR/PRLAR are 32 bits; AArch64 and host 64. */
#if defined(__arm__)
typedef uint32_t prs_reg_t;
#else
typedef uint64_t prs_reg_t;
#endif

enum prs_arch {
	PRS_ARCH_AARCH32 = 0, /* Cortex-R52: PRBAR [31:6] base, [4:3] SH, [2:1] AP, [0] XN */
	PRS_ARCH_AARCH64 = 1  /* Cortex-R82: PRBAR_EL1 [47:6] base, [5:4] SH, [3:2] AP, [1:0] XN */
};

/*
 * Slots are absolute MPU region numbers: [0, nstatic) hold the CPU's static
 * regions (identical in every set of that CPU, so the switch never writes
 * them), [nstatic, nslots) the dynamic ones. A slot whose PRLAR is 0 is
 * disabled. Unused slots up to PRS_MAX_SET_REGIONS are zero.
 *
 * An oversized set (its layout's capacity exceeds nslots) may have enabled
 * "slots" at [nslots, nstatic + ndyn): regions the MPU has no room for.
 * The switch loads [nstatic, nslots) and prs_fault() brings the others in
 * on demand (prsched/percpu.h); the builder then lists regions hottest
 * first (prsched/build.h).
 *
 * gap[i] names the stretch between two static regions that slot i's region
 * lies in (0 below the lowest static region). The switch uses it to decide,
 * without looking at the static map, whether replacing one region by
 * another in the same slot can transiently cover static memory (see
 * percpu/src/switch.c).
 */
struct prs_set {
	prs_reg_t prbar[PRS_MAX_SET_REGIONS];
	prs_reg_t prlar[PRS_MAX_SET_REGIONS];
	uint8_t gap[PRS_MAX_SET_REGIONS];
	uint8_t nslots;  /* the CPU's EL1 region count (MPUIR) */
	uint8_t nstatic; /* slots [0, nstatic) are static */
	uint8_t ndyn;    /* enabled dynamic regions: [nstatic, nstatic + ndyn) */
	uint8_t arch;    /* enum prs_arch of the encoding */
};

#endif
