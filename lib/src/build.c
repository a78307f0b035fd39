/* SPDX-License-Identifier: MIT */
/*
 * The set builder. One sweep over the address space, boundary to boundary:
 * at each point the innermost layer whose entry covers it decides what is
 * granted there; equal neighbours merge; every finished piece is encoded
 * straight into a scratch set, which is copied out only when all of it fits.
 * Tables are sorted and disjoint, so "which entry of this layer covers x"
 * and "where does this layer next change" are one binary search each, and
 * no piece list, boundary array or granule map is ever materialised.
 */
#include <stddef.h>
#include "build_stack.h"
#include "prsched/error.h"

#define PRS_GAP_NONE 0xFFu

/* A run being extended by the sweep: [base, end) granted as *r says by layer `rank`. */
struct prs_piece {
	uint64_t base, end;
	const struct prs_range *r;
	unsigned rank; /* the innermost layer granting any part of it */
};

static uint64_t prs_end(const struct prs_range *r)
{
	return r->base + r->size;
}

static int prs_regions_overlap(const struct prs_region *a, const struct prs_region *b)
{
	return a->base <= b->limit && b->base <= a->limit;
}

int prs_layout_init(struct prs_cpu_layout *l, enum prs_arch arch, unsigned nregions,
		    const struct prs_range *statics, unsigned nstatic,
		    const struct prs_rangeset *base)
{
	struct prs_region ri, rj;
	prs_reg_t bar, lar;

	if (!l || (nstatic && !statics))
		return PRS_E_NULL;
	if (!prs_arch_addr_bits(arch) || nregions == 0 || nregions > PRS_MAX_REGIONS ||
	    nstatic > nregions || (base && base->arch != (uint8_t)arch))
		return PRS_E_ARG;
	for (unsigned i = 0; i < nstatic; i++) {
		int err = prs_range_check(&statics[i], arch);

		if (err)
			return err;
		prs_range_to_region(&statics[i], &ri);
		err = prs_region_encode(arch, &ri, &bar, &lar); /* refuses holes */
		if (err)
			return err;
		for (unsigned j = 0; j < i; j++) {
			prs_range_to_region(&statics[j], &rj);
			if (prs_regions_overlap(&ri, &rj))
				return PRS_E_CONFLICT;
		}
	}
	l->arch = (uint8_t)arch;
	l->nregions = (uint8_t)nregions;
	l->capacity = (uint8_t)nregions;
	l->nstatic = (uint8_t)nstatic;
	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		if (i < nstatic)
			prs_range_to_region(&statics[i], &l->statics[i]);
		else
			l->statics[i] = (struct prs_region){ 0, 0, 0, 0, 0, 0 };
	}
	l->base = base;
	l->home = 0;
	l->home_set = 0;
	return PRS_OK;
}

int prs_layout_set_home(struct prs_cpu_layout *l, uint64_t addr)
{
	if (!l)
		return PRS_E_NULL;
	for (unsigned j = 0; j < l->nstatic; j++)
		if (addr >= l->statics[j].base && addr <= l->statics[j].limit)
			return PRS_E_STATIC;
	l->home = addr;
	l->home_set = 1;
	return PRS_OK;
}

unsigned prs_layout_capacity(const struct prs_cpu_layout *l)
{
	return l->capacity ? l->capacity : l->nregions;
}

/* An oversized capacity needs room for what one instruction touches (build.h). */
static int prs_capacity_ok(const struct prs_cpu_layout *l, unsigned capacity)
{
	if (capacity < l->nregions || capacity > PRS_MAX_SET_REGIONS)
		return 0;
	return capacity == l->nregions || (unsigned)l->nregions - l->nstatic >= PRS_FAULT_MIN_SLOTS;
}

int prs_layout_set_capacity(struct prs_cpu_layout *l, unsigned capacity)
{
	if (!l)
		return PRS_E_NULL;
	if (!prs_capacity_ok(l, capacity))
		return PRS_E_ARG;
	l->capacity = (uint8_t)capacity;
	return PRS_OK;
}

static int prs_layout_usable(const struct prs_cpu_layout *cpu)
{
	if (!prs_arch_addr_bits((enum prs_arch)cpu->arch) || cpu->nregions == 0 ||
	    cpu->nregions > PRS_MAX_REGIONS || cpu->nstatic > cpu->nregions ||
	    !prs_capacity_ok(cpu, prs_layout_capacity(cpu)))
		return PRS_E_ARG;
	return PRS_OK;
}

int prs_stack_init(struct prs_stack *st, const struct prs_cpu_layout *cpu,
			  const struct prs_rangeset *const *layers, unsigned nlayers)
{
	if (nlayers > PRS_MAX_LAYERS)
		return PRS_E_ARG;
	if (nlayers && !layers)
		return PRS_E_NULL;
	st->n = 0;
	if (cpu->base) {
		st->l[st->n] = cpu->base;
		st->n++;
	}
	for (unsigned i = 0; i < nlayers; i++) {
		if (!layers[i])
			return PRS_E_NULL;
		st->l[st->n] = layers[i];
		st->n++;
	}
	return PRS_OK;
}

/* A table built by hand (or corrupted) must not get past the builder. */
static int prs_layer_check(const struct prs_rangeset *s, enum prs_arch arch)
{
	if (s->n && !s->e)
		return PRS_E_NULL;
	if (s->n > s->cap || s->arch != (uint8_t)arch)
		return PRS_E_ARG;
	for (unsigned i = 0; i < s->n; i++) {
		int err = prs_range_check(&s->e[i].r, arch);

		if (err)
			return err;
		if (s->e[i].refs == 0)
			return PRS_E_ARG;
		if (i && prs_end(&s->e[i - 1u].r) > s->e[i].r.base)
			return PRS_E_CONFLICT; /* overlapping or out of order */
	}
	return PRS_OK;
}

static int prs_static_clash(const struct prs_cpu_layout *cpu, const struct prs_stack *st)
{
	for (unsigned k = 0; k < st->n; k++) {
		const struct prs_rangeset *s = st->l[k];

		for (unsigned i = 0; i < s->n; i++) {
			struct prs_region r;

			prs_range_to_region(&s->e[i].r, &r);
			for (unsigned j = 0; j < cpu->nstatic; j++)
				if (prs_regions_overlap(&r, &cpu->statics[j]))
					return PRS_E_STATIC;
		}
	}
	return PRS_OK;
}

/* First entry of s whose end lies above x (s->n if none). */
static unsigned prs_entry_at(const struct prs_rangeset *s, uint64_t x)
{
	unsigned lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2u;

		if (prs_end(&s->e[mid].r) <= x)
			lo = mid + 1u;
		else
			hi = mid;
	}
	return lo;
}

const struct prs_range *prs_layer_at(const struct prs_rangeset *s, uint64_t x, uint64_t *next)
{
	unsigned i = prs_entry_at(s, x);
	uint64_t b;

	if (i >= s->n)
		return NULL;
	b = s->e[i].r.base <= x ? prs_end(&s->e[i].r) : s->e[i].r.base;
	if (*next == 0 || b < *next)
		*next = b;
	return s->e[i].r.base <= x ? &s->e[i].r : NULL;
}

/*
 * What is granted at x (NULL: nothing, or a hole), by which layer (*rank),
 * and where that can next change (*next; 0 when no layer has anything
 * above x).
 */
static const struct prs_range *prs_sweep_step(const struct prs_stack *st, uint64_t x,
					      uint64_t *next, unsigned *rank)
{
	const struct prs_range *top = NULL;

	*next = 0;
	for (unsigned k = 0; k < st->n; k++) {
		const struct prs_range *r = prs_layer_at(st->l[k], x, next);

		if (r) {
			top = r; /* later layers are inner: they win */
			*rank = k;
		}
	}
	return (top && top->perm) ? top : NULL;
}

uint8_t prs_layout_gap(const struct prs_cpu_layout *cpu, uint64_t base)
{
	unsigned below = 0;

	for (unsigned j = 0; j < cpu->nstatic; j++)
		if (cpu->statics[j].limit < base)
			below++;
	return (uint8_t)below;
}

static int prs_emit(const struct prs_cpu_layout *cpu, const struct prs_piece *p,
		    struct prs_set *set, uint8_t *rank)
{
	unsigned slot = (unsigned)cpu->nstatic + set->ndyn;
	struct prs_region r;

	if (slot >= prs_layout_capacity(cpu))
		return PRS_E_NOSPACE;
	rank[slot] = (uint8_t)p->rank;
	prs_range_to_region(p->r, &r);
	r.base = p->base;
	r.limit = p->end - 1u;
	set->gap[slot] = prs_layout_gap(cpu, r.base);
	set->ndyn++;
	return prs_region_encode((enum prs_arch)cpu->arch, &r, &set->prbar[slot],
				 &set->prlar[slot]);
}

static void prs_set_clear(const struct prs_cpu_layout *cpu, struct prs_set *set)
{
	unsigned char *bytes = (unsigned char *)set;

	/* Padding too: equal inputs give byte-identical sets (prs-gen output,
	 * memcmp by callers), whatever the stack held before. */
	for (size_t i = 0; i < sizeof(*set); i++)
		bytes[i] = 0;
	for (unsigned i = 0; i < PRS_MAX_SET_REGIONS; i++) {
		set->prbar[i] = 0;
		set->prlar[i] = 0;
		set->gap[i] = PRS_GAP_NONE;
	}
	set->nslots = cpu->nregions;
	set->nstatic = cpu->nstatic;
	set->ndyn = 0;
	set->arch = cpu->arch;
}

static int prs_set_statics(const struct prs_cpu_layout *cpu, struct prs_set *set)
{
	for (unsigned i = 0; i < cpu->nstatic; i++) {
		int err = prs_region_encode((enum prs_arch)cpu->arch, &cpu->statics[i],
					    &set->prbar[i], &set->prlar[i]);

		if (err)
			return err;
	}
	return PRS_OK;
}

static int prs_sweep(const struct prs_cpu_layout *cpu, const struct prs_stack *st,
		     struct prs_set *set, uint8_t *rank)
{
	struct prs_piece cur = { 0, 0, NULL, 0 };
	uint64_t x = 0, next;
	unsigned k = 0;
	int err;

	for (;;) {
		const struct prs_range *r = prs_sweep_step(st, x, &next, &k);

		/* cur always ends at x: it continues iff x grants the same. */
		if (cur.r && (!r || !prs_range_same_attrs(cur.r, r))) {
			err = prs_emit(cpu, &cur, set, rank);
			if (err)
				return err;
			cur.r = NULL;
		}
		if (next == 0) /* nothing above x, so r == NULL and cur is out */
			return PRS_OK;
		if (r && cur.r) {
			cur.end = next;
			cur.rank = k > cur.rank ? k : cur.rank;
		} else if (r) {
			cur = (struct prs_piece){ x, next, r, k };
		}
		x = next;
	}
}

/*
 * An oversized set: dynamic slots hottest first (innermost layer first,
 * address order within one; build.h). A stable insertion sort of at most
 * PRS_MAX_SET_REGIONS entries, off the switch path.
 */
static void prs_order_hot(const struct prs_cpu_layout *cpu, struct prs_set *set,
			  uint8_t *rank)
{
	unsigned lo = cpu->nstatic, end = lo + set->ndyn;

	if (end <= cpu->nregions)
		return; /* fits the MPU: address order */
	for (unsigned i = lo + 1u; i < end; i++) {
		prs_reg_t b = set->prbar[i], l = set->prlar[i];
		uint8_t g = set->gap[i], k = rank[i];
		unsigned j = i;

		for (; j > lo && rank[j - 1u] < k; j--) {
			set->prbar[j] = set->prbar[j - 1u];
			set->prlar[j] = set->prlar[j - 1u];
			set->gap[j] = set->gap[j - 1u];
			rank[j] = rank[j - 1u];
		}
		set->prbar[j] = b;
		set->prlar[j] = l;
		set->gap[j] = g;
		rank[j] = k;
	}
}

int prs_layout_image(const struct prs_cpu_layout *l, struct prs_set *img)
{
	struct prs_set tmp;
	int err;

	if (!l || !img)
		return PRS_E_NULL;
	err = prs_layout_usable(l);
	if (err)
		return err;
	prs_set_clear(l, &tmp);
	err = prs_set_statics(l, &tmp);
	if (err)
		return err;
	*img = tmp;
	return PRS_OK;
}

int prs_stack_prepare(struct prs_stack *st, const struct prs_cpu_layout *cpu,
		      const struct prs_rangeset *const *layers, unsigned nlayers)
{
	int err = prs_layout_usable(cpu);

	if (!err)
		err = prs_stack_init(st, cpu, layers, nlayers);
	for (unsigned k = 0; !err && k < st->n; k++)
		err = prs_layer_check(st->l[k], (enum prs_arch)cpu->arch);
	if (!err)
		err = prs_static_clash(cpu, st);
	return err;
}

int prs_set_build(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		  unsigned nlayers, struct prs_set *out)
{
	struct prs_stack st;
	struct prs_set tmp;
	uint8_t rank[PRS_MAX_SET_REGIONS] = { 0 };
	int err;

	if (!cpu || !out)
		return PRS_E_NULL;
	err = prs_stack_prepare(&st, cpu, layers, nlayers);
	if (err)
		return err;
	prs_set_clear(cpu, &tmp);
	err = prs_set_statics(cpu, &tmp);
	if (!err)
		err = prs_sweep(cpu, &st, &tmp, rank);
	if (err)
		return err;
	prs_order_hot(cpu, &tmp, rank);
	{
		const unsigned char *src = (const unsigned char *)&tmp;
		unsigned char *dst = (unsigned char *)out;

		for (size_t i = 0; i < sizeof(tmp); i++) /* padding included */
			dst[i] = src[i];
	}
	return PRS_OK;
}

unsigned prs_set_bound(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		       unsigned nlayers)
{
	struct prs_stack st;
	unsigned bound = 0;

	if (!cpu || prs_stack_init(&st, cpu, layers, nlayers))
		return 0;
	for (unsigned k = 0; k < st.n; k++)
		for (unsigned i = 0; i < st.l[k]->n; i++) {
			unsigned grants = st.l[k]->e[i].r.perm != 0;

			bound += k == 0 ? grants : 1u + grants;
		}
	return bound;
}
