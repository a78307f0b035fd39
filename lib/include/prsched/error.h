/* SPDX-License-Identifier: MIT */
/* Status codes: every failure has its own code; 0 is success. */
#ifndef PRSCHED_ERROR_H
#define PRSCHED_ERROR_H

enum prs_err {
	PRS_OK = 0,
	PRS_E_NULL,        /* a required pointer argument is NULL */
	PRS_E_ARG,         /* an argument is out of range (CPU index, count, flags) */
	PRS_E_ALIGN,       /* base or limit+1 not on the 64-byte granule */
	PRS_E_EMPTY,       /* zero-sized range */
	PRS_E_WRAP,        /* base + size wraps around the address space */
	PRS_E_ADDR,        /* beyond the target's address space (32/48 bits) */
	PRS_E_MEMTYPE,     /* memory type (MAIR index) not 0..7 */
	PRS_E_SHARE,       /* shareability value not 0, 2 or 3 */
	PRS_E_PERM,        /* permission combination the MPU cannot express */
	PRS_E_WX,          /* writable and executable without PRS_OPT_ALLOW_WX */
	PRS_E_EL0W_X,      /* EL0-writable and executable: never allowed */
	PRS_E_STATIC,      /* overlaps one of the CPU's static regions */
	PRS_E_CONFLICT,    /* overlaps a range of the same layer: cannot be split */
	PRS_E_NOSPACE,     /* the set needs more MPU slots than the CPU has free */
	PRS_E_FULL,        /* a fixed-size range table is full */
	PRS_E_PARTIAL,     /* removal or update of part of a region */
	PRS_E_NOENT,       /* removal or update of a range that was never added */
	PRS_E_REFOVF,      /* reference count would overflow */
	PRS_E_TYPECHG,     /* same range, different memory type: refused */
	PRS_E_ATTRCHG,     /* same range, different attributes: use an update */
	PRS_E_SHARED,      /* RO/XN change on a region with other references */
	PRS_E_PLACEMENT,   /* state the switch path touches is not inside a static region */
	PRS_E_AGAIN,       /* not done yet: poll the ticket again */
	PRS_E_SYNTAX,      /* description file: malformed line (tools only) */
	PRS_E_NORELOAD,    /* system config without a reload callback: revokes could never end */
	PRS_E_POOL,        /* version pool missing, misaligned or too small for one more handle */
	PRS_E_STARTED,     /* CPU added after the first handle fixed the pool layout */
	PRS_E_NOCPU,       /* a CPU of the system was never added (prs_cpu_init) */
	PRS_E_LAYOUT,      /* CPU layout the switch cannot serve (region count) */
	PRS_E_UNREVOCABLE, /* fits now, but a later removal could need more slots than free */
	PRS_E__COUNT
};

/* A constant, human-readable description of `err`; never NULL. */
const char *prs_strerror(int err);

/* The symbolic name ("PRS_E_ALIGN") of `err`; never NULL. */
const char *prs_errname(int err);

#endif
