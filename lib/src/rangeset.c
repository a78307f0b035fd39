/* SPDX-License-Identifier: MIT */
/* The refcounted range table: sorted, disjoint, checked before any write. */
#include <stddef.h>
#include "prsched/rangeset.h"
#include "prsched/error.h"

#define PRS_REFS_MAX 0xFFFFu

int prs_rangeset_init(struct prs_rangeset *s, struct prs_rangeset_entry *storage, unsigned cap,
		      enum prs_arch arch)
{
	if (!s || !storage)
		return PRS_E_NULL;
	if (cap == 0 || cap > 0xFFFFu || !prs_arch_addr_bits(arch))
		return PRS_E_ARG;
	s->e = storage;
	s->n = 0;
	s->cap = (uint16_t)cap;
	s->arch = (uint8_t)arch;
	return PRS_OK;
}

/* First entry whose end lies above `base`: the only candidates to overlap
 * [base, ...) start there, because entries are sorted and disjoint. */
static unsigned prs_first_above(const struct prs_rangeset *s, uint64_t base)
{
	unsigned lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2u;
		const struct prs_range *m = &s->e[mid].r;

		if (m->base + m->size <= base)
			lo = mid + 1u;
		else
			hi = mid;
	}
	return lo;
}

static int prs_overlaps(const struct prs_range *r, uint64_t base, uint64_t size)
{
	return r->base < base + size && base < r->base + r->size;
}

int prs_rangeset_find(const struct prs_rangeset *s, uint64_t base, uint64_t size)
{
	unsigned i;

	if (!s || !s->e)
		return -1;
	i = prs_first_above(s, base);
	if (i < s->n && s->e[i].r.base == base && s->e[i].r.size == size)
		return (int)i;
	return -1;
}

/* Where [base, base + size) stands: exact entry (>= 0), -1 no overlap,
 * -2 partial overlap with one or more entries. *at gets the insert point. */
static int prs_locate(const struct prs_rangeset *s, uint64_t base, uint64_t size, unsigned *at)
{
	unsigned i = prs_first_above(s, base);

	*at = i;
	if (i >= s->n || !prs_overlaps(&s->e[i].r, base, size))
		return -1;
	if (s->e[i].r.base == base && s->e[i].r.size == size)
		return (int)i;
	return -2;
}

static int prs_set_usable(const struct prs_rangeset *s)
{
	if (!s || !s->e)
		return PRS_E_NULL;
	if (s->n > s->cap || !prs_arch_addr_bits((enum prs_arch)s->arch))
		return PRS_E_ARG;
	return PRS_OK;
}

static int prs_take_ref(struct prs_rangeset_entry *e, const struct prs_range *r)
{
	if (e->r.memtype != r->memtype)
		return PRS_E_TYPECHG;
	if (!prs_range_same_attrs(&e->r, r) || e->r.opts != r->opts)
		return PRS_E_ATTRCHG;
	if (e->refs >= PRS_REFS_MAX)
		return PRS_E_REFOVF;
	e->refs++;
	return PRS_OK;
}

int prs_rangeset_add(struct prs_rangeset *s, const struct prs_range *r)
{
	unsigned at;
	int err = prs_set_usable(s), idx;

	if (err)
		return err;
	err = prs_range_check(r, (enum prs_arch)s->arch);
	if (err)
		return err;
	idx = prs_locate(s, r->base, r->size, &at);
	if (idx >= 0)
		return prs_take_ref(&s->e[idx], r);
	if (idx == -2)
		return PRS_E_CONFLICT;
	if (s->n >= s->cap)
		return PRS_E_FULL;
	for (unsigned i = s->n; i > at; i--)
		s->e[i] = s->e[i - 1u];
	s->e[at].r = *r;
	s->e[at].refs = 1;
	s->n++;
	return PRS_OK;
}

int prs_rangeset_remove(struct prs_rangeset *s, uint64_t base, uint64_t size)
{
	unsigned at;
	int err = prs_set_usable(s), idx;

	if (err)
		return err;
	if (size == 0)
		return PRS_E_EMPTY;
	if (base + size < base && base + size != 0) /* past 2^64 */
		return PRS_E_WRAP;
	idx = prs_locate(s, base, size, &at);
	if (idx == -1)
		return PRS_E_NOENT;
	if (idx == -2)
		return PRS_E_PARTIAL;
	if (--s->e[idx].refs == 0) {
		for (unsigned i = (unsigned)idx; i + 1u < s->n; i++)
			s->e[i] = s->e[i + 1u];
		s->n--;
	}
	return PRS_OK;
}

int prs_rangeset_update(struct prs_rangeset *s, const struct prs_range *r)
{
	const unsigned mutable_bits = PRS_EL1_W | PRS_EL0_W | PRS_EXEC;
	struct prs_rangeset_entry *e;
	unsigned at;
	int err = prs_set_usable(s), idx;

	if (err)
		return err;
	err = prs_range_check(r, (enum prs_arch)s->arch);
	if (err)
		return err;
	idx = prs_locate(s, r->base, r->size, &at);
	if (idx == -1)
		return PRS_E_NOENT;
	if (idx == -2)
		return PRS_E_PARTIAL;
	e = &s->e[idx];
	if (e->r.memtype != r->memtype)
		return PRS_E_TYPECHG;
	if (e->r.share != r->share || ((e->r.perm ^ r->perm) & ~mutable_bits))
		return PRS_E_ATTRCHG;
	if (e->r.perm == r->perm && e->r.opts == r->opts)
		return PRS_OK;
	if (e->refs != 1)
		return PRS_E_SHARED;
	e->r = *r;
	return PRS_OK;
}
