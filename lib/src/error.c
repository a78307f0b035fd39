/* SPDX-License-Identifier: MIT */
#include "prsched/error.h"

struct prs_errdesc {
	const char *name;
	const char *text;
};

#define E(code, text) [code] = { #code, text }
static const struct prs_errdesc prs_errs[PRS_E__COUNT] = {
	E(PRS_OK, "success"),
	E(PRS_E_NULL, "a required pointer argument is NULL"),
	E(PRS_E_ARG, "argument out of range"),
	E(PRS_E_ALIGN, "base or end not aligned to the 64-byte MPU granule"),
	E(PRS_E_EMPTY, "empty range"),
	E(PRS_E_WRAP, "range wraps around the end of the address space"),
	E(PRS_E_ADDR, "range beyond the target's address space"),
	E(PRS_E_MEMTYPE, "memory type (MAIR index) must be 0..7"),
	E(PRS_E_SHARE, "shareability must be non-shareable, outer or inner"),
	E(PRS_E_PERM, "permission combination the MPU cannot express"),
	E(PRS_E_WX, "writable and executable range refused (opt in with PRS_OPT_ALLOW_WX)"),
	E(PRS_E_EL0W_X, "EL0-writable and executable range refused"),
	E(PRS_E_STATIC, "range overlaps a static region of the CPU"),
	E(PRS_E_CONFLICT, "range partly overlaps another range of the same layer"),
	E(PRS_E_NOSPACE, "region set needs more MPU slots than the CPU has free"),
	E(PRS_E_FULL, "range table full"),
	E(PRS_E_PARTIAL, "range covers only part of a region"),
	E(PRS_E_NOENT, "no such range"),
	E(PRS_E_REFOVF, "reference count would overflow"),
	E(PRS_E_TYPECHG, "memory type of an existing range cannot change"),
	E(PRS_E_ATTRCHG, "range exists with other attributes"),
	E(PRS_E_SHARED, "region has other references: attributes cannot change"),
	E(PRS_E_PLACEMENT, "switch-path state not inside a static region"),
	E(PRS_E_AGAIN, "not complete yet: poll again"),
	E(PRS_E_SYNTAX, "malformed description line"),
	E(PRS_E_NORELOAD, "system config has no reload callback (a revoke could never complete)"),
	E(PRS_E_POOL, "version pool missing, misaligned, or too small for one more handle"),
	E(PRS_E_STARTED, "CPUs must all be added before the first handle is created"),
	E(PRS_E_NOCPU, "a CPU of the system was never added with prs_cpu_init"),
	E(PRS_E_LAYOUT, "CPU region layout the switch path cannot serve"),
	E(PRS_E_UNREVOCABLE,
	  "refused: a later removal could need more MPU slots than the CPU has free"),
};
#undef E

static const struct prs_errdesc *prs_errdesc(int err)
{
	if (err < 0 || err >= PRS_E__COUNT || prs_errs[err].name == 0)
		return 0;
	return &prs_errs[err];
}

const char *prs_strerror(int err)
{
	const struct prs_errdesc *d = prs_errdesc(err);

	return d ? d->text : "unknown prsched error";
}

const char *prs_errname(int err)
{
	const struct prs_errdesc *d = prs_errdesc(err);

	return d ? d->name : "PRS_E_UNKNOWN";
}
