/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include "prsched/error.h"
#include "stress_set.h"

#define GRAN 64u
#define WIN_SHIFT 23 /* 8 MiB windows */
#define GAP_A 0x20100000u
#define GAP_B 0x30100000u
#define LIMIT_HALF 0x10000u /* limit offsets start here (granules): base < limit always */
#define LO_MASK 0xFFFFu     /* seq bits in the base */
#define HI_SHIFT 16         /* the other seq bits go to the limit, under the thread */
#define THREAD_SHIFT 11
_Static_assert(ST_MAX_THREADS << THREAD_SHIFT <= LIMIT_HALF, "thread and seq fit the limit");
_Static_assert((uint64_t)ST_SEQ_LIMIT == 1ull << (HI_SHIFT + THREAD_SHIFT), "seq bits");
_Static_assert(GAP_A + (ST_CAP_DYN << WIN_SHIFT) <= 0x30000000u, "gap A holds its windows");
_Static_assert(GAP_B + (ST_CAP_DYN << WIN_SHIFT) <= 0x40000000u, "gap B holds its windows");
_Static_assert(ST_WIN_MID == LIMIT_HALF * GRAN, "the middle: above every base, below every limit");

static const uint32_t statics[ST_NSTATIC] = { 0x10000000u, 0x20000000u, 0x30000000u,
					      0x40000000u };
#define HOME_GAP 2u /* gap A: above S0 and S1 */

/* The static image (st_init, before any thread starts; read-only after). */
static struct prs_set image;
/* Regions a version may have (st_configure, before any thread starts; read-only after). */
static unsigned cap_dyn = ST_NDYN;

void st_configure(unsigned cap)
{
	cap_dyn = cap;
}

unsigned st_cap(void)
{
	return cap_dyn;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t version_hash(uint64_t seed, unsigned thread, uint32_t seq)
{
	return mix(seed ^ mix(((uint64_t)thread << 32) | seq));
}

static prs_reg_t bar_of(uint32_t base, unsigned ap, unsigned xn)
{
	return (prs_reg_t)((base & ~0x3Fu) | ((ap & 3u) << 1) | (xn & 1u));
}

static prs_reg_t lar_of(uint32_t limit, unsigned attr)
{
	return (prs_reg_t)((limit & ~0x3Fu) | ((attr & 7u) << 1) | 1u);
}

int st_layout(struct prs_cpu_layout *l, const struct prs_rangeset *base)
{
	struct prs_range st[ST_NSTATIC];
	int err;

	for (unsigned i = 0; i < ST_NSTATIC; i++) {
		/* Inner shareable; S0 the "code" (EL1 RX), the rest EL1 RW data. */
		st[i] = (struct prs_range){ statics[i], 0x10000u,
					    i ? PRS_EL1_R | PRS_EL1_W : PRS_EL1_R | PRS_EXEC, 0,
					    PRS_SH_INNER, 0 };
	}
	err = prs_layout_init(l, PRS_ARCH_AARCH32, ST_NSLOTS, st, ST_NSTATIC, base);
	if (err == PRS_OK && cap_dyn > ST_NDYN)
		err = prs_layout_set_capacity(l, ST_NSTATIC + cap_dyn);
	return err != PRS_OK ? err : prs_layout_set_home(l, GAP_A);
}

int st_init(const struct prs_cpu_layout *l)
{
	return prs_layout_image(l, &image);
}

/* Oversized: three in four versions have more regions than the MPU has slots. */
unsigned st_ndyn(uint64_t seed, unsigned thread, uint32_t seq)
{
	uint64_t h = version_hash(seed, thread, seq);

	if (cap_dyn <= ST_NDYN)
		return 1u + (unsigned)(h % cap_dyn);
	if ((h & 3u) == 0)
		return 1u + (unsigned)((h >> 2) % ST_NDYN);
	return ST_NDYN + 1u + (unsigned)((h >> 2) % (cap_dyn - ST_NDYN));
}

/* Number of leading slots in gap A: all (7 in 10), none (2 in 10), or a split. */
static unsigned split_of(uint64_t seed, unsigned thread, uint32_t seq, unsigned nd)
{
	uint64_t h = version_hash(seed, thread, seq) >> 8;
	unsigned kind = (unsigned)(h % 10u);

	if (kind < 7u || nd == 1u)
		return nd;
	if (kind < 9u)
		return 0;
	return 1u + (unsigned)((h >> 8) % (nd - 1u));
}

int st_away(uint64_t seed, unsigned thread, uint32_t seq)
{
	unsigned nd = st_ndyn(seed, thread, seq);

	return split_of(seed, thread, seq, nd) < nd;
}

uint32_t st_window_addr(int gap_b, unsigned j, uint32_t off)
{
	return (gap_b ? GAP_B : GAP_A) + ((uint32_t)j << WIN_SHIFT) + off;
}

uint32_t st_base_off(uint32_t seq)
{
	return (seq & LO_MASK) * GRAN;
}

/* Region j (< nd) of version (thread, seq): base, limit (inclusive), in gap B? */
static void region_of(unsigned thread, uint32_t seq, unsigned j, unsigned split, uint32_t *base,
		      uint32_t *limit)
{
	uint32_t win = st_window_addr(j >= split, j, 0);
	uint32_t hi = ((uint32_t)thread << THREAD_SHIFT) | ((seq >> HI_SHIFT) & 0x7FFu);

	*base = win + st_base_off(seq);
	*limit = win + (LIMIT_HALF + hi) * GRAN + (GRAN - 1u);
}

void st_encode(struct prs_set *s, uint64_t seed, unsigned thread, uint32_t seq, unsigned cls)
{
	unsigned nd = st_ndyn(seed, thread, seq);
	unsigned split = split_of(seed, thread, seq, nd);

	*s = image;
	for (unsigned i = 0; i < nd; i++) {
		unsigned slot = ST_NSTATIC + i;
		uint32_t base, limit;

		region_of(thread, seq, i, split, &base, &limit);
		s->prbar[slot] = bar_of(base, cls, cls >> 2);
		s->prlar[slot] = lar_of(limit, seq + i);
		s->gap[slot] = i < split ? HOME_GAP : HOME_GAP + 1u;
	}
	s->ndyn = (uint8_t)nd;
}

/*
 * The access AP and XN grant (Armv8-R PMSA, AArch32 PRBAR): AP[2:1] 00
 * EL1 RW, 01 RW at both, 10 EL1 RO, 11 RO at both; XN 0 executable.
 */
unsigned st_perm(unsigned cls)
{
	static const unsigned ap[4] = {
		PRS_EL1_R | PRS_EL1_W,
		PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W,
		PRS_EL1_R,
		PRS_EL1_R | PRS_EL0_R,
	};

	return ap[cls & 3u] | ((cls >> 2) & 1u ? 0u : (unsigned)PRS_EXEC);
}

uint32_t st_region_addr(uint64_t seed, unsigned thread, uint32_t seq, unsigned j, uint32_t off)
{
	unsigned nd = st_ndyn(seed, thread, seq);

	return j < nd ? st_window_addr(j >= split_of(seed, thread, seq, nd), j, off) : 0u;
}

int st_grant(uint64_t seed, unsigned thread, uint32_t seq, unsigned cls, uint32_t addr,
	     unsigned access)
{
	unsigned nd = st_ndyn(seed, thread, seq), split = split_of(seed, thread, seq, nd);

	if ((st_perm(cls) & access) != access)
		return -1;
	for (unsigned j = 0; j < nd; j++) {
		uint32_t base, limit;

		region_of(thread, seq, j, split, &base, &limit);
		if (addr >= base && addr <= limit)
			return (int)j;
	}
	return -1;
}

int st_mpu_slot_at(const prs_reg_t *prbar, const prs_reg_t *prlar, uint32_t addr)
{
	int found = -1;

	for (unsigned i = ST_NSTATIC; i < ST_NSLOTS; i++) {
		uint32_t base = (uint32_t)prbar[i] & ~(GRAN - 1u);
		uint32_t limit = ((uint32_t)prlar[i] & ~(GRAN - 1u)) | (GRAN - 1u);

		if (!(prlar[i] & 1u) || addr < base || addr > limit)
			continue;
		found = found == -1 ? (int)i : -2;
	}
	return found;
}

void st_encode_version(struct prs_version *v, const struct prs_system *sys, uint64_t seed,
		       unsigned thread, uint32_t seq)
{
	for (unsigned c = 0; c < sys->nclasses; c++)
		st_encode(&v->set[c], seed, thread, seq, c);
}

void st_poison_version(struct prs_version *v, const struct prs_system *sys)
{
	for (unsigned c = 0; c < sys->nclasses; c++) {
		struct prs_set *s = &v->set[c];

		for (unsigned i = ST_NSTATIC; i < ST_NSTATIC + cap_dyn; i++) {
			s->prbar[i] = (prs_reg_t)ST_POISON_BASE;
			s->prlar[i] = (prs_reg_t)ST_POISON_LIMIT | 1u;
			s->gap[i] = 4u;
		}
		/* ndyn stays a legal count: a reader of poison must not run off the arrays. */
		s->ndyn = (uint8_t)cap_dyn;
	}
}

static int same_set(const struct prs_set *a, const struct prs_set *b)
{
	if (a->nslots != b->nslots || a->nstatic != b->nstatic || a->ndyn != b->ndyn ||
	    a->arch != b->arch)
		return 0;
	for (unsigned i = 0; i < PRS_MAX_SET_REGIONS; i++)
		if (a->prbar[i] != b->prbar[i] || a->prlar[i] != b->prlar[i] ||
		    ((a->prlar[i] & 1u) && a->gap[i] != b->gap[i]))
			return 0;
	return 1;
}

int st_version_is(const struct prs_version *v, const struct prs_system *sys, uint64_t seed,
		  unsigned thread, uint32_t seq)
{
	struct prs_set want;

	for (unsigned c = 0; c < sys->nclasses; c++) {
		st_encode(&want, seed, thread, seq, c);
		if (!same_set(&v->set[c], &want))
			return 0;
	}
	return 1;
}

struct st_vset *st_vset_of(const struct prs_system *sys, uint32_t idx, unsigned cls)
{
	return (struct st_vset *)(void *)(sys->pool + (size_t)idx * sys->vstride +
					  sys->cls[cls].off);
}

void st_vset_poison(struct st_vset *vs)
{
	for (unsigned i = 0; i < cap_dyn; i++) {
		vs->pair[i][0] = (prs_reg_t)ST_POISON_BASE;
		vs->pair[i][1] = (prs_reg_t)ST_POISON_LIMIT | 1u;
	}
	vs->key = ST_NSLOTS | (ST_NSTATIC + cap_dyn) << 8 | ST_KEY_AWAY;
}

/* The pool form of class cls's set of (thread, seq): the key and pair i. */
static uint32_t vset_key(uint64_t seed, unsigned thread, uint32_t seq)
{
	uint32_t end = ST_NSTATIC + st_ndyn(seed, thread, seq);

	/* [7:0] the MPU's end, [15:8] the set's (larger when oversized). */
	return (end < ST_NSLOTS ? end : ST_NSLOTS) | end << 8 |
	       (st_away(seed, thread, seq) ? ST_KEY_AWAY : 0u);
}

static void vset_pair(const struct prs_system *sys, unsigned cls, const struct prs_set *s,
		      unsigned i, prs_reg_t *p)
{
	unsigned slot = ST_NSTATIC + i;

	p[0] = (s->prlar[slot] & 1u) ? s->prbar[slot] : sys->cls[cls].residue;
	p[1] = s->prlar[slot];
}

void st_vset_write(struct st_vset *vs, const struct prs_system *sys, unsigned cls,
		   uint64_t seed, unsigned thread, uint32_t seq, unsigned yield_at)
{
	struct prs_set s;

	st_encode(&s, seed, thread, seq, cls);
	for (unsigned i = 0; i < cap_dyn; i++) {
		vset_pair(sys, cls, &s, i, vs->pair[i]);
		if (i == yield_at)
			sched_yield();
	}
	vs->key = vset_key(seed, thread, seq);
}

int st_vset_is(const struct st_vset *vs, const struct prs_system *sys, unsigned cls,
	       uint64_t seed, unsigned thread, uint32_t seq)
{
	struct prs_set s;
	prs_reg_t p[2];

	st_encode(&s, seed, thread, seq, cls);
	if (vs->key != vset_key(seed, thread, seq))
		return 0;
	for (unsigned i = 0; i < cap_dyn; i++) {
		vset_pair(sys, cls, &s, i, p);
		if (vs->pair[i][0] != p[0] || vs->pair[i][1] != p[1])
			return 0;
	}
	return 1;
}

struct slot_info {
	int valid;
	unsigned thread, cls, attr, win, gap;
	uint32_t seq;
};

/* Decode one enabled dynamic slot; valid only if it is well-formed for this encoding. */
static struct slot_info decode(prs_reg_t bar, prs_reg_t lar)
{
	struct slot_info si = { 0, 0, 0, 0, 0, 0, 0 };
	uint32_t base = (uint32_t)bar & ~0x3Fu, limit = (uint32_t)lar & ~0x3Fu, gbase, lo, hi;

	if (base >= GAP_A && base < GAP_A + (ST_CAP_DYN << WIN_SHIFT)) {
		gbase = GAP_A;
		si.gap = 2;
	} else if (base >= GAP_B && base < GAP_B + (ST_CAP_DYN << WIN_SHIFT)) {
		gbase = GAP_B;
		si.gap = 3;
	} else {
		return si;
	}
	si.win = (base - gbase) >> WIN_SHIFT;
	lo = (base - gbase - (si.win << WIN_SHIFT)) / GRAN;
	if (limit < base || ((limit - gbase) >> WIN_SHIFT) != si.win)
		return si;
	hi = (limit - gbase - (si.win << WIN_SHIFT)) / GRAN;
	if (hi < LIMIT_HALF || lo >= LIMIT_HALF)
		return si;
	hi -= LIMIT_HALF;
	si.thread = hi >> THREAD_SHIFT;
	si.seq = ((hi & 0x7FFu) << HI_SHIFT) | lo;
	si.cls = (unsigned)((bar >> 1) & 3u) | (unsigned)((bar & 1u) << 2);
	si.attr = (unsigned)((lar >> 1) & 7u);
	si.valid = 1;
	return si;
}

static int is_poison(prs_reg_t bar, prs_reg_t lar)
{
	return ((uint32_t)bar & ~0x3Fu) == ST_POISON_BASE || ((uint32_t)lar & ~0x3Fu) == ST_POISON_LIMIT;
}

/* One line per slot into why: raw values and what they decode to. */
static void describe(const prs_reg_t *prbar, const prs_reg_t *prlar, char *why, size_t n)
{
	size_t used = 0;

	for (unsigned i = 0; i < ST_NSLOTS && used + 1 < n; i++) {
		struct slot_info si = decode(prbar[i], prlar[i]);
		int w = snprintf(why + used, n - used,
				 "\n    slot %2u: PRBAR 0x%08llx PRLAR 0x%08llx%s", i,
				 (unsigned long long)prbar[i], (unsigned long long)prlar[i],
				 i < ST_NSTATIC ? " (static)"
				 : !(prlar[i] & 1u) ? " (disabled)"
				 : is_poison(prbar[i], prlar[i]) ? " POISON" : "");

		if (w < 0)
			break;
		used += (size_t)w;
		if (i >= ST_NSTATIC && (prlar[i] & 1u) && si.valid && used + 1 < n) {
			w = snprintf(why + used, n - used, " thread %u seq %u class %u attr %u gap %u",
				     si.thread, si.seq, si.cls, si.attr, si.gap);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		if (used >= n)
			break;
	}
}

/*
 * Slot i (dynamic) against version want of (thread, seq): enabled exactly
 * below the resident end, and then one of want's regions, region
 * i - nstatic unless any_slot, none twice (*used: a bit per region).
 */
static int slot_ok(const prs_reg_t *prbar, const prs_reg_t *prlar, unsigned i,
		   const struct prs_set *want, const struct st_seen *seen, int any_slot,
		   uint32_t *used)
{
	struct slot_info si = decode(prbar[i], prlar[i]);
	unsigned j = si.win;

	if (((prlar[i] & 1u) != 0) != (i < ST_NSTATIC + seen->resident))
		return 0;
	if (!(prlar[i] & 1u))
		return 1;
	if (!si.valid || si.thread != seen->thread || si.seq != seen->seq || j >= want->ndyn ||
	    (!any_slot && j != i - ST_NSTATIC) || (*used & (1u << j)))
		return 0;
	*used |= 1u << j;
	return prbar[i] == want->prbar[ST_NSTATIC + j] && prlar[i] == want->prlar[ST_NSTATIC + j];
}

enum st_verdict st_check_mpu(const prs_reg_t *prbar, const prs_reg_t *prlar, uint64_t seed,
			     unsigned cls, int any_slot, struct st_seen *seen, char *why,
			     size_t n)
{
	struct prs_set want;
	struct slot_info first;
	enum st_verdict v = ST_OK;
	uint32_t used = 0;

	memset(seen, 0, sizeof(*seen));
	for (unsigned i = 0; i < ST_NSLOTS && v == ST_OK; i++) {
		if (i < ST_NSTATIC && (prbar[i] != image.prbar[i] || prlar[i] != image.prlar[i]))
			v = ST_STATIC;
		else if (i >= ST_NSTATIC && (prlar[i] & 1u) && is_poison(prbar[i], prlar[i]))
			v = ST_POISON;
		if (v != ST_OK)
			seen->bad_slot = i;
	}
	if (v == ST_OK && !(prlar[ST_NSTATIC] & 1u)) {
		v = ST_EMPTY;
		seen->bad_slot = ST_NSTATIC;
	}
	if (v == ST_OK) {
		first = decode(prbar[ST_NSTATIC], prlar[ST_NSTATIC]);
		seen->thread = first.thread;
		seen->seq = first.seq;
		/* The version slot nstatic names, rebuilt, must be what every slot holds. */
		st_encode(&want, seed, first.thread, first.seq, cls);
		seen->ndyn = want.ndyn;
		seen->resident = want.ndyn < ST_NDYN ? want.ndyn : ST_NDYN;
		seen->away = st_away(seed, first.thread, first.seq);
		for (unsigned i = ST_NSTATIC; i < ST_NSLOTS && v == ST_OK; i++) {
			if (!first.valid || !slot_ok(prbar, prlar, i, &want, seen, any_slot, &used)) {
				v = ST_TORN;
				seen->bad_slot = i;
			}
		}
	}
	if (v != ST_OK && why && n)
		describe(prbar, prlar, why, n);
	else if (why && n)
		why[0] = 0;
	return v;
}

const char *st_verdict_name(enum st_verdict v)
{
	switch (v) {
	case ST_OK:
		return "ok";
	case ST_STATIC:
		return "static slot changed";
	case ST_EMPTY:
		return "no dynamic slot";
	case ST_POISON:
		return "poison";
	case ST_TORN:
		return "torn";
	}
	return "?";
}
