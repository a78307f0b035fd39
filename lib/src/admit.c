/* SPDX-License-Identifier: MIT */
/*
 * Admission control for removal safety (invariant 9): a grant is refused
 * when some later removal could need more slots than the CPU has free.
 *
 * Definitions. A configuration C is a CPU layout plus its layer stack; R(C)
 * its removable entries (build.h says which). For S a subset of R(C), C - S
 * is C with those entries gone, and starts(C - S) the set of addresses
 * where a region of the built set begins. The builder is minimal, so
 * ndyn(C - S) = |starts(C - S)|. The removal bound is
 *
 *     U(C) = | union over all S in R(C) of starts(C - S) |,
 *
 * and C is admitted when U(C) <= free = nregions - nstatic.
 *
 * Claim: if C is admitted, every configuration reachable from C by removals
 * alone (in any order, interleaved with nothing but other removals) builds
 * within `free` slots, and is itself admitted.
 *
 * Proof. Removals in any order from C reach exactly the C - S, S in R(C).
 * (1) ndyn(C - S) = |starts(C - S)| <= U(C), as starts(C - S) is one term
 * of the union. (2) R(C - T) = R(C) - T, so every C - T - S' is a C - S and
 * the union for C - T is a sub-union: U(C - T) <= U(C). So removal never
 * raises U, every state reached is admitted, and each build fits. A kernel
 * that admission-checks every change that adds or alters an entry keeps
 * all its states admitted, so each removal it makes succeeds. (End.)
 *
 * Computing U exactly, per address. starts only holds endpoints of
 * entries (between two endpoints nothing changes), so only those x are
 * tried. Let a_k, b_k be the entries of layer k covering the granules at x
 * and at x - 64 (NULL if none; a_k == b_k when one entry covers both). x is
 * in some starts(C - S) iff for some granting a_j:
 *   - every a_k inside it (k > j) is removable, so a_j can be on top at x;
 *   - and the granule below can show something else: with a_k (k > j)
 *     gone and a_j kept, some b_m that may be kept -- every b_k inside it
 *     removable and not forced to stay -- differs from a_j (a hole and
 *     "nothing" differ from any grant), or every b_k can be gone.
 * The choices at x and at x - 64 touch only the entries covering those two
 * granules, and the per-address test lets each address pick its own S. So
 * the per-address answers are exact for U. Cost: O(P * L * (log E + L))
 * for P endpoints and L layers of at most E entries; no allocation.
 *
 * Pessimism. U is exact per address but lets each address use its own S,
 * so it can exceed the true worst case W(C) = max over S of ndyn(C - S)
 * when two starts need contradictory removals. Measured by
 * tests/lib/test_admit.c against a brute-force W over every subset (its
 * output prints the rates): see the README paragraph in the branch report.
 * The earlier closed form prs_set_bound (2 per inner entry) is also a valid
 * admission rule but refuses far more.
 */
#include <stddef.h>
#include "build_stack.h"
#include "prsched/error.h"

/* The entries covering one granule, per layer of the stack (NULL if none). */
struct prs_column {
	const struct prs_range *e[PRS_MAX_LAYERS + 1u];
};

/* Grants differently from granting range a (holes and nothing grant nothing). */
static int prs_differs(const struct prs_range *b, const struct prs_range *a)
{
	return b == NULL || b->perm == 0 || !prs_range_same_attrs(a, b);
}

/*
 * With a->e[j] on top at x (inner a's gone), can the granule below show
 * something other than a->e[j]? Walk b from the innermost layer: each b_m
 * is either the top (if it may stay) or must be removable to look past it.
 */
static int prs_below_can_differ(const struct prs_column *a, const struct prs_column *b,
				const uint8_t *rem, unsigned n, unsigned j)
{
	for (unsigned m = n; m-- > 0;) {
		const struct prs_range *bm = b->e[m];
		int gone, stays;

		if (!bm)
			continue;
		gone = m > j && bm == a->e[m];			 /* removed for a_j's sake */
		stays = (m == j && bm == a->e[j]) || (!rem[m] && !gone); /* kept whatever */
		if (!gone && prs_differs(bm, a->e[j]))
			return 1;
		if (stays)
			return 0;
	}
	return 1; /* everything below could be gone: nothing is granted there */
}

/* Is x the start of a region for some subset of removals? */
static int prs_possible_start(const struct prs_column *a, const struct prs_column *b,
			      const uint8_t *rem, unsigned n)
{
	for (unsigned j = n; j-- > 0;) {
		const struct prs_range *aj = a->e[j];

		if (!aj)
			continue;
		if (aj->perm && prs_below_can_differ(a, b, rem, n, j))
			return 1;
		if (!rem[j])
			return 0; /* a_j stays: nothing further out can be on top at x */
	}
	return 0;
}

static void prs_column_at(const struct prs_stack *st, uint64_t x, struct prs_column *c,
			  uint64_t *next)
{
	for (unsigned k = 0; k < st->n; k++)
		c->e[k] = prs_layer_at(st->l[k], x, next);
}

/* U for a validated stack (see the top of the file). */
static unsigned prs_removal_count(const struct prs_stack *st, const uint8_t *rem)
{
	struct prs_column a, b;
	uint64_t x = 0, next, unused;
	unsigned count = 0;

	for (;;) {
		next = 0;
		prs_column_at(st, x, &a, &next);
		if (x >= PRS_GRANULE)
			prs_column_at(st, x - PRS_GRANULE, &b, &unused);
		else
			b = (struct prs_column){ { NULL } };
		count += (unsigned)prs_possible_start(&a, &b, rem, st->n);
		if (next == 0)
			return count;
		x = next;
	}
}

static int prs_removal_prepare(struct prs_stack *st, uint8_t *rem,
			       const struct prs_cpu_layout *cpu,
			       const struct prs_rangeset *const *layers, unsigned nlayers,
			       uint32_t removable)
{
	unsigned first = cpu->base ? 1u : 0u; /* the base is never removable */
	int err = prs_stack_prepare(st, cpu, layers, nlayers);

	if (err)
		return err;
	for (unsigned k = 0; k < st->n; k++)
		rem[k] = (uint8_t)(k >= first && ((removable >> (k - first)) & 1u));
	return PRS_OK;
}

int prs_set_removal_bound(const struct prs_cpu_layout *cpu,
			  const struct prs_rangeset *const *layers, unsigned nlayers,
			  uint32_t removable, unsigned *bound)
{
	struct prs_stack st;
	uint8_t rem[PRS_MAX_LAYERS + 1u];
	int err;

	if (!cpu || !bound)
		return PRS_E_NULL;
	err = prs_removal_prepare(&st, rem, cpu, layers, nlayers, removable);
	if (err)
		return err;
	*bound = prs_removal_count(&st, rem);
	return PRS_OK;
}

int prs_set_build_admit(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
			unsigned nlayers, uint32_t removable, struct prs_set *out)
{
	static const uint8_t keep_all[PRS_MAX_LAYERS + 1u] = { 0 };
	struct prs_stack st;
	uint8_t rem[PRS_MAX_LAYERS + 1u];
	unsigned free_slots;
	int err;

	if (!cpu || !out)
		return PRS_E_NULL;
	err = prs_removal_prepare(&st, rem, cpu, layers, nlayers, removable);
	if (err)
		return err;
	free_slots = (unsigned)cpu->nregions - cpu->nstatic;
	if (prs_removal_count(&st, rem) <= free_slots)
		return prs_set_build(cpu, layers, nlayers, out); /* fits: ndyn <= U */
	/* Refused. With nothing removable U is the set's own slot count, so
	 * this tells "does not fit now" from "fits, but a removal might not". */
	return prs_removal_count(&st, keep_all) > free_slots ? PRS_E_NOSPACE : PRS_E_UNREVOCABLE;
}
