/* SPDX-License-Identifier: MIT */
/*
 * The region model: what a caller asks for (struct prs_range: base + size),
 * what one MPU region holds (struct prs_region: base + inclusive limit), the
 * validation every entry point shares, and the PRBAR/PRLAR encoders for the
 * two Armv8-R register formats.
 */
#ifndef PRSCHED_REGION_H
#define PRSCHED_REGION_H

#include <stdint.h>
#include "prsched/set.h"

/* PMSAv8 granule: bases and sizes are multiples of 64 bytes. */
#define PRS_GRANULE 64u

/* Permission bits; perm == 0 is a hole (no access), which is only meaningful
 * as an inner range that cuts an outer one. */
enum {
	PRS_EL1_R = 1,
	PRS_EL1_W = 2,
	PRS_EL0_R = 4,
	PRS_EL0_W = 8,
	PRS_EXEC = 16
};
#define PRS_PERM_MASK 31u

/* Shareability: PRBAR.SH values (1 is reserved). */
enum { PRS_SH_NONE = 0, PRS_SH_OUTER = 2, PRS_SH_INNER = 3 };

/* opts: the caller accepts writable + executable (never EL0-writable + exec). */
#define PRS_OPT_ALLOW_WX 1u
#define PRS_OPT_MASK 1u

/* Memory type is an AttrIndx: the MAIR byte 0..7 the OS programmed. */
#define PRS_MEMTYPE_MAX 7u

struct prs_range {
	uint64_t base;
	uint64_t size;
	uint8_t perm;
	uint8_t memtype;
	uint8_t share;
	uint8_t opts;
};

struct prs_region {
	uint64_t base;
	uint64_t limit; /* inclusive: last byte of the region */
	uint8_t perm;
	uint8_t memtype;
	uint8_t share;
	uint8_t opts;
};

/*
 * Address bits one region can name for `arch`: 32 for AArch32, 48 for
 * AArch64 -- but a build whose prs_reg_t is 32 bits wide (r52) can hold
 * AArch64 register values only below 4 GiB, so it reports 32 there.
 * 0 for an unknown arch.
 */
unsigned prs_arch_addr_bits(enum prs_arch arch);

/*
 * Every check a range must pass, in this order: PRS_E_NULL, PRS_E_ARG (arch,
 * unknown opts bits), PRS_E_EMPTY, PRS_E_ALIGN, PRS_E_WRAP, PRS_E_ADDR,
 * PRS_E_MEMTYPE, PRS_E_SHARE, PRS_E_PERM, PRS_E_EL0W_X, PRS_E_WX.
 * A hole (perm 0) passes the permission checks.
 */
int prs_range_check(const struct prs_range *r, enum prs_arch arch);

/* The region a (valid) range covers: limit = base + size - 1. */
void prs_range_to_region(const struct prs_range *r, struct prs_region *out);

/* Same attributes as far as the MPU is concerned (perm, memtype, share). */
int prs_range_same_attrs(const struct prs_range *a, const struct prs_range *b);

/*
 * PRBAR/PRLAR values for one enabled region. The region passes the same
 * checks as prs_range_check (PRS_E_ALIGN when base or limit + 1 is off the
 * granule, PRS_E_EMPTY when limit < base) and must grant something: a hole
 * cannot be encoded (PRS_E_PERM). Outputs are written only on success.
 */
int prs_region_encode(enum prs_arch a, const struct prs_region *r, prs_reg_t *prbar,
		      prs_reg_t *prlar);

/*
 * The region a PRBAR/PRLAR pair describes. PRS_E_NOENT for a disabled pair
 * (PRLAR.EN = 0), PRS_E_ARG for reserved bits set, PRS_E_SHARE for SH = 01,
 * PRS_E_PERM for an AArch64 XN value this library never writes (01, 11),
 * PRS_E_EMPTY for limit < base. `out->opts` gets PRS_OPT_ALLOW_WX when the
 * region is writable and executable, so decode + encode round-trips.
 */
int prs_region_decode(enum prs_arch a, prs_reg_t prbar, prs_reg_t prlar, struct prs_region *out);

/*
 * The one decoder of addresses: the bytes [*base, *limit] a PRBAR/PRLAR pair
 * of `arch` spans, whatever its other bits (for register values read back
 * or modelled, which need not be valid encodings). Returns non-zero when the
 * pair is enabled (PRLAR.EN). prs_region_decode builds on it.
 */
int prs_reg_span(enum prs_arch a, prs_reg_t prbar, prs_reg_t prlar, uint64_t *base,
		 uint64_t *limit);

/*
 * The access a PRBAR value of `arch` grants, as PRS_EL1_R | PRS_EL1_W |
 * PRS_EL0_R | PRS_EL0_W | PRS_EXEC bits (from AP and XN alone: an AArch64
 * XN value this library never writes reads as not executable).
 */
unsigned prs_reg_perm(enum prs_arch a, prs_reg_t prbar);

#endif
