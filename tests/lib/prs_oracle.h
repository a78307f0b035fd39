/* SPDX-License-Identifier: MIT */
/*
 * The brute-force oracle for the set builder, shared by the random property
 * test and the libFuzzer target: it paints the layers, in order, over a map
 * with one cell per 64-byte granule and compares every granule with what
 * the built set grants. Inputs come from a number source, so the same
 * generator serves seeded random runs and fuzzer bytes.
 */
#ifndef PRS_ORACLE_H
#define PRS_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "prsched/build.h"

#if defined(__arm__) || defined(__aarch64__)
#define PRS_ORACLE_GRANULES 256u /* firmware: QEMU runs this loop slowly */
#else
#define PRS_ORACLE_GRANULES 1024u /* largest window, in granules */
#endif
#define PRS_ORACLE_LAYERS 5u      /* base + up to four inner layers */
#define PRS_ORACLE_ENTRIES 12u    /* per layer */
#define PRS_ORACLE_STATICS 6u

/* Where generator choices come from: next() returns any 64-bit value. */
struct prs_oracle_src {
	uint64_t (*next)(void *ctx);
	void *ctx;
};

struct prs_oracle_case {
	enum prs_arch arch;
	unsigned nregions, nstatic;
	struct prs_range statics[PRS_ORACLE_STATICS];
	uint64_t window;  /* first byte of the touched address range */
	unsigned ngran;   /* its length in granules */
	int has_base;     /* sets[0] is the CPU's base layer */
	unsigned nsets;   /* tables in use: base (if any) + inner layers */
	struct prs_rangeset sets[PRS_ORACLE_LAYERS];
	struct prs_rangeset_entry storage[PRS_ORACLE_LAYERS][PRS_ORACLE_ENTRIES];
	const char *add_mismatch; /* set when prs_rangeset_add disagreed */
};

/* Fill *c from the source: random arch, statics, window, layers. */
void prs_oracle_generate(struct prs_oracle_case *c, const struct prs_oracle_src *src);

/*
 * Build the case and check the result against the oracle. Returns NULL when
 * everything agrees, else a constant string naming the first disagreement.
 * *rc gets the builder's return code (for statistics).
 */
const char *prs_oracle_check(const struct prs_oracle_case *c, int *rc);

/*
 * Paint c's layers (no checks: every entry inside the window, tables sorted
 * and disjoint) and count the maximal runs of equally-granted granules, the
 * least slot count any set for c can use. starts (c->ngran bytes, may be
 * NULL) gets 1 at each granule where a run begins, 0 elsewhere.
 */
unsigned prs_oracle_runs(const struct prs_oracle_case *c, uint8_t *starts);

#endif
