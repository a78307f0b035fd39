/* SPDX-License-Identifier: MIT */
/*
 * A fixed-capacity, refcounted table of ranges: one layer of a thread's view
 * (a CPU's dynamic base, a memory domain's partitions, a thread's private
 * ranges). The table lives in caller storage; nothing is allocated.
 *
 * Invariant (the builder relies on it and re-checks it): entries are sorted
 * by base and pairwise disjoint (e[i].base + e[i].size <= e[i+1].base),
 * each passed prs_range_check for the table's arch, and each has refs >= 1.
 *
 * Rules, after Xen's MPU mapping table: adding a range that is already there
 * (same base and size) with the same attributes takes a reference; with
 * another memory type it is refused (PRS_E_TYPECHG), with other attributes
 * too (PRS_E_ATTRCHG: use prs_rangeset_update). Any other overlap with an
 * entry cannot be resolved inside one layer (PRS_E_CONFLICT). Removal names
 * exactly one entry and drops one reference. Every call leaves the table
 * untouched when it fails.
 */
#ifndef PRSCHED_RANGESET_H
#define PRSCHED_RANGESET_H

#include <stdint.h>
#include "prsched/region.h"

struct prs_rangeset_entry {
	struct prs_range r;
	uint16_t refs;
};

struct prs_rangeset {
	struct prs_rangeset_entry *e; /* caller storage, cap entries */
	uint16_t n;
	uint16_t cap;
	uint8_t arch; /* enum prs_arch every entry was checked for */
};

/* cap 1..65535 entries in `storage`. PRS_E_NULL, PRS_E_ARG (cap, arch). */
int prs_rangeset_init(struct prs_rangeset *s, struct prs_rangeset_entry *storage, unsigned cap,
		      enum prs_arch arch);

/* Add `r` or take a reference on an identical entry. Errors: those of
 * prs_range_check, PRS_E_TYPECHG, PRS_E_ATTRCHG, PRS_E_REFOVF (refs at
 * 65535), PRS_E_CONFLICT, PRS_E_FULL. */
int prs_rangeset_add(struct prs_rangeset *s, const struct prs_range *r);

/* Drop one reference on the entry [base, base + size); the entry goes away
 * with its last reference. PRS_E_EMPTY, PRS_E_WRAP, PRS_E_PARTIAL (a part of
 * an entry, or a span over several), PRS_E_NOENT (overlaps nothing). */
int prs_rangeset_remove(struct prs_rangeset *s, uint64_t base, uint64_t size);

/*
 * Change the write permissions (EL1_W, EL0_W) and EXEC of a whole entry with
 * refs == 1 (and opts, which only records consent to W+X). Errors: those of
 * prs_range_check, PRS_E_NOENT, PRS_E_PARTIAL, PRS_E_TYPECHG (memtype never
 * changes), PRS_E_ATTRCHG (shareability or read access), PRS_E_SHARED.
 * Updating an entry to its current attributes is a no-op success.
 */
int prs_rangeset_update(struct prs_rangeset *s, const struct prs_range *r);

/* Index of the entry exactly [base, base + size), or -1. */
int prs_rangeset_find(const struct prs_rangeset *s, uint64_t base, uint64_t size);

#endif
