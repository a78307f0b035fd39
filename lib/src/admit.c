/* SPDX-License-Identifier: MIT */
/*
 * Admission control for removal safety (invariant 9): a grant is refused
 * when some later removal could need more slots than the CPU has free.
 *
 * Definitions. A configuration C is a CPU layout plus its layer stack; R(C)
 * its removable entries (build.h says which). For S a subset of R(C), C - S
 * is C with those entries gone, and starts(C - S) the addresses where a
 * region of the built set begins; the builder is minimal, so ndyn(C - S) =
 * |starts(C - S)|. The rule admits C when
 *
 *     W(C) = max over all S in R(C) of ndyn(C - S)  <=  capacity - nstatic.
 *
 * Claim: from an admitted C, every configuration reachable by removals
 * alone, in any order, builds within the free slots and is itself admitted.
 * Proof. Removals in any order from C reach exactly the C - S, S in R(C),
 * and each fits by the definition of W(C). R(C - T) = R(C) - T, so every
 * C - T - S' is some C - S: W(C - T) <= W(C), and C - T is admitted. A
 * kernel that checks every change that adds or alters an entry (grant,
 * partition add, joining a domain, attribute update, thread creation) thus
 * keeps every state admitted, and each removal it makes then succeeds. (End.)
 *
 * W is computed exactly (prs_worst_exact, below) when at most
 * PRS_EXACT_LAYERS layers hold removable entries. Deeper stacks use U(C),
 * the number of addresses that begin a region in at least one C - S: U >= W
 * (every starts(C - S) is inside the union) and U(C - T) <= U(C) (a
 * sub-union), so the claim holds for it word for word. U is also never
 * above prs_set_bound: a start is a granting entry's base or an inner
 * entry's end.
 *
 * U per address. starts only holds entry endpoints (between two endpoints
 * nothing changes), so only those x are tried. Let a_k, b_k be the entries
 * of layer k covering the granules at x and at x - 64 (NULL if none; a_k ==
 * b_k when one entry covers both). x is in some starts(C - S) iff for some
 * granting a_j: every a_k inside it (k > j) is removable, so a_j can be on
 * top at x; and, with those gone and a_j kept, the granule below can show
 * something else: some b_m that may stay, with every b_k inside it
 * removable, differs from a_j (a hole and "nothing" differ from any grant),
 * or every b_k can be gone. Cost O(P * L * (log E + L)) for P endpoints and
 * L layers of at most E entries.
 *
 * Pessimism, measured by tests/lib/test_admit.c against brute force over
 * every subset (its output prints the counts): of small configurations that
 * fit with 0..3 spare slots, W refuses 22.6% (exhaustive, one domain), U
 * would refuse 35.6% and prs_set_bound 97.9%; on random ones with 1-3
 * domains W 15%, U 44%, prs_set_bound 91%. Refusals by W are never
 * needless: each one has a removal sequence that would not fit.
 */
#include <stdbool.h>
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
	for (unsigned i = n; i > 0u; i--) {
		unsigned m = i - 1u;
		const struct prs_range *bm = b->e[m];
		bool gone, stays;

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
	for (unsigned i = n; i > 0u; i--) {
		unsigned j = i - 1u;
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

/* U for a validated stack (see the top of the file): the deep-stack fallback. */
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

/*
 * The exact worst case W = max over S of ndyn(C - S), for stacks with at
 * most PRS_EXACT_LAYERS layers holding removable entries. Between two
 * consecutive endpoints every layer has one entry or none throughout, so
 * the sweep's intervals are the units; what an interval grants depends
 * only on which of its covering entries are kept, and one interval's count
 * of region starts (0 or 1) only on it and its left neighbour. An entry's
 * keep bit must be the same in every interval it spans, so the state
 * carried from one interval to the next is the keep bits of the covering
 * removable entries, one per layer: a dynamic program over at most
 * 2^PRS_EXACT_LAYERS states whose best final value is W (a longest path
 * in the layered graph of (interval, keep bits)). Cost O(P * L * (log E +
 * 4^R)) for R <= PRS_EXACT_LAYERS removable layers (R is 2 or 3 for a base,
 * one or two domains and the thread's own layer).
 */
#define PRS_EXACT_LAYERS 6u
#define PRS_NSTATES (1u << PRS_EXACT_LAYERS)
#define PRS_NONE 0xFFu

struct prs_dp {
	const struct prs_stack *st;
	const uint8_t *rem;
	uint8_t slot[PRS_MAX_LAYERS + 1u]; /* bit of a removable layer in a state */
	unsigned nstates;
};

/* Stack index of what column c grants under keep bits m (PRS_NONE: nothing). */
static uint8_t prs_dp_top(const struct prs_dp *d, const struct prs_column *c, unsigned m)
{
	for (unsigned i = d->st->n; i > 0u; i--) {
		unsigned k = i - 1u;

		if (!c->e[k] || (d->rem[k] && !((m >> d->slot[k]) & 1u)))
			continue;
		return c->e[k]->perm ? (uint8_t)k : (uint8_t)PRS_NONE;
	}
	return PRS_NONE;
}

/* Keep bits whose entry continues from p into c (they may not change). */
static unsigned prs_dp_carry(const struct prs_dp *d, const struct prs_column *p,
			     const struct prs_column *c, unsigned *open)
{
	unsigned carry = 0;

	*open = 0;
	for (unsigned k = 0; k < d->st->n; k++) {
		if (!d->rem[k] || !c->e[k])
			continue;
		*open |= 1u << d->slot[k];
		if (c->e[k] == p->e[k])
			carry |= 1u << d->slot[k];
	}
	return carry;
}

/* One interval: new[m'] = best over compatible old m of old[m] + starts. */
static void prs_dp_step(const struct prs_dp *d, const struct prs_column *p,
			const struct prs_column *c, const int16_t *old, int16_t *cur)
{
	uint8_t gp[PRS_NSTATES], gc[PRS_NSTATES];
	unsigned open, carry = prs_dp_carry(d, p, c, &open);

	for (unsigned m = 0; m < d->nstates; m++) {
		gp[m] = prs_dp_top(d, p, m);
		gc[m] = prs_dp_top(d, c, m);
	}
	for (unsigned m2 = 0; m2 < d->nstates; m2++) {
		int best = -1;

		for (unsigned m = 0; (m2 & ~open) == 0 && m < d->nstates; m++) {
			int v;

			if (old[m] < 0 || ((m ^ m2) & carry))
				continue;
			v = old[m] + (gc[m2] != PRS_NONE &&
				      (gp[m] == PRS_NONE ||
				       prs_differs(p->e[gp[m]], c->e[gc[m2]])));
			if (v > best)
				best = v > INT16_MAX ? INT16_MAX : v;
		}
		cur[m2] = (int16_t)best;
	}
}

static unsigned prs_worst_exact(struct prs_dp *d)
{
	struct prs_column col[2] = { 0 };
	int16_t v[2][PRS_NSTATES];
	uint64_t x = 0, next;
	unsigned now = 0, worst = 0;

	for (unsigned m = 0; m < PRS_NSTATES; m++) {
		v[0][m] = m ? -1 : 0; /* before address 0 nothing is open */
		v[1][m] = -1;
	}
	for (;;) {
		next = 0;
		prs_column_at(d->st, x, &col[now ^ 1u], &next);
		prs_dp_step(d, &col[now], &col[now ^ 1u], v[now], v[now ^ 1u]);
		now ^= 1u;
		if (next == 0)
			break;
		x = next;
	}
	for (unsigned m = 0; m < d->nstates; m++)
		if (v[now][m] > (int)worst)
			worst = (unsigned)v[now][m];
	return worst;
}

/* W when the stack is shallow enough for the exact program, else U. */
static unsigned prs_removal_worst(const struct prs_stack *st, const uint8_t *rem)
{
	struct prs_dp d = { st, rem, { 0 }, 1 };
	unsigned r = 0;

	for (unsigned k = 0; k < st->n; k++)
		if (rem[k] && st->l[k]->n) {
			if (r == PRS_EXACT_LAYERS)
				return prs_removal_count(st, rem);
			d.slot[k] = (uint8_t)r;
			r++;
		}
	d.nstates = 1u << r;
	return prs_worst_exact(&d);
}

static int prs_removal_prepare(struct prs_stack *st, uint8_t *rem,
			       const struct prs_cpu_layout *cpu,
			       const struct prs_rangeset *const *layers, unsigned nlayers,
			       uint32_t removable)
{
	unsigned first = 0u;
	int err = prs_stack_prepare(st, cpu, layers, nlayers);

	if (err)
		return err;
	if (cpu->base != NULL)
		first = 1u; /* the base is never removable */
	for (unsigned k = 0; k < st->n; k++) {
		uint32_t bit = (k < first) ? 0u : ((removable >> (k - first)) & 1u);

		rem[k] = (uint8_t)bit;
	}
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
	*bound = prs_removal_worst(&st, rem);
	return PRS_OK;
}

int prs_set_build_admit(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
			unsigned nlayers, uint32_t removable, struct prs_set *out)
{
	unsigned worst, now = 0, free_slots;
	int err;

	if (!cpu || !out)
		return PRS_E_NULL;
	err = prs_set_removal_bound(cpu, layers, nlayers, removable, &worst);
	if (err)
		return err;
	free_slots = prs_layout_capacity(cpu) - cpu->nstatic;
	if (worst <= free_slots)
		return prs_set_build(cpu, layers, nlayers, out); /* fits: ndyn <= U */
	/* Refused. With nothing removable U is the set's own slot count, so
	 * this tells "does not fit now" from "fits, but a removal might not". */
	(void)prs_set_removal_bound(cpu, layers, nlayers, 0u, &now); /* valid inputs: as above */
	return now > free_slots ? PRS_E_NOSPACE : PRS_E_UNREVOCABLE;
}
