/* SPDX-License-Identifier: MIT */
/*
 * Region validation and the PRBAR/PRLAR encoders.
 *
 * AArch32 (Cortex-R52): PRBAR [31:6] BASE, [4:3] SH, [2:1] AP, [0] XN;
 *                       PRLAR [31:6] LIMIT, [3:1] AttrIndx, [0] EN.
 * AArch64 (Cortex-R82): PRBAR_EL1 [47:6] BASE, [5:4] SH, [3:2] AP, [1:0] XN;
 *                       PRLAR_EL1 [47:6] LIMIT, [3:1] AttrIndx, [0] EN.
 * AP: 00 EL1 RW/EL0 none, 01 RW both, 10 EL1 RO/EL0 none, 11 RO both, so
 * every region grants EL1 read, EL0 access mirrors EL1's, and one XN covers
 * both levels: the permission combinations below are all the MPU can say.
 *
 * PRBAR_EL1.XN is two bits. Sources used (the docs corpus had no Arm page for
 * PRBAR_EL1): the Armv8-R AArch64 supplement (DDI 0600) as quoted on
 * xen-devel for PRBAR<n>_EL2 (G1.3.19: 0b00 = execution permitted), Xen's
 * arm64 mpu.h ("XN[1] determines whether execution ... is permitted" for the
 * stage 1 regime) and Zephyr's arm64 Cortex-R MPU header (NOT_EXEC = bit 1 of
 * PRBAR_EL1). The DDI 0600 table for PRBAR_EL1 gives 0b00 execute, 0b10 never
 * at EL1 and EL0, and uses 0b01/0b11 for never-at-one-level-only. We write
 * only 0b00 and 0b10 -- the two values all of these sources agree on -- and
 * the decoder refuses 0b01/0b11 (PRS_E_PERM) instead of guessing.
 */
#include "prsched/region.h"
#include "prsched/error.h"
#include "span.h"


unsigned prs_arch_addr_bits(enum prs_arch arch)
{
	switch (arch) {
	case PRS_ARCH_AARCH32:
		return 32;
	case PRS_ARCH_AARCH64:
		return sizeof(prs_reg_t) >= 8 ? 48u : 32u;
	default:
		return 0;
	}
}

/* The five data-permission shapes AP can express (EXEC is orthogonal). */
static int prs_perm_expressible(unsigned perm)
{
	unsigned data = perm & (PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W);

	if (perm & ~PRS_PERM_MASK)
		return 0;
	switch (data) {
	case 0:
		return perm == 0; /* exec without read is not a region */
	case PRS_EL1_R:
	case PRS_EL1_R | PRS_EL1_W:
	case PRS_EL1_R | PRS_EL0_R:
	case PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W:
		return 1;
	default:
		return 0;
	}
}

/* Attribute checks shared by ranges and regions, in the documented order. */
static int prs_attr_check(unsigned perm, unsigned memtype, unsigned share, unsigned opts)
{
	if (memtype > PRS_MEMTYPE_MAX)
		return PRS_E_MEMTYPE;
	if (share != PRS_SH_NONE && share != PRS_SH_OUTER && share != PRS_SH_INNER)
		return PRS_E_SHARE;
	if (!prs_perm_expressible(perm))
		return PRS_E_PERM;
	if ((perm & PRS_EXEC) && (perm & PRS_EL0_W))
		return PRS_E_EL0W_X;
	if ((perm & PRS_EXEC) && (perm & PRS_EL1_W) && !(opts & PRS_OPT_ALLOW_WX))
		return PRS_E_WX;
	return PRS_OK;
}

int prs_range_check(const struct prs_range *r, enum prs_arch arch)
{
	unsigned bits = prs_arch_addr_bits(arch);
	uint64_t end;

	if (!r)
		return PRS_E_NULL;
	if (!bits || (r->opts & ~PRS_OPT_MASK))
		return PRS_E_ARG;
	if (r->size == 0)
		return PRS_E_EMPTY;
	if ((r->base | r->size) & PRS_GRAN_MASK)
		return PRS_E_ALIGN;
	end = r->base + r->size; /* mod 2^64; 0 means exactly 2^64 */
	if (end < r->base && end != 0)
		return PRS_E_WRAP;
	/* base + size may be exactly 2^64 (0 in uint64): compare size instead. */
	if (r->base >= ((uint64_t)1 << bits) || r->size > ((uint64_t)1 << bits) - r->base)
		return PRS_E_ADDR;
	return prs_attr_check(r->perm, r->memtype, r->share, r->opts);
}

void prs_range_to_region(const struct prs_range *r, struct prs_region *out)
{
	out->base = r->base;
	out->limit = r->base + r->size - 1u;
	out->perm = r->perm;
	out->memtype = r->memtype;
	out->share = r->share;
	out->opts = r->opts;
}

int prs_range_same_attrs(const struct prs_range *a, const struct prs_range *b)
{
	return a->perm == b->perm && a->memtype == b->memtype && a->share == b->share;
}

static int prs_region_check(enum prs_arch a, const struct prs_region *r)
{
	unsigned bits = prs_arch_addr_bits(a);

	if (!bits || (r->opts & ~PRS_OPT_MASK))
		return PRS_E_ARG;
	if (r->limit < r->base)
		return PRS_E_EMPTY;
	if ((r->base & PRS_GRAN_MASK) || (~r->limit & PRS_GRAN_MASK))
		return PRS_E_ALIGN;
	if (r->limit >> bits)
		return PRS_E_ADDR;
	if (r->perm == 0)
		return PRS_E_PERM; /* a hole has no register form */
	return prs_attr_check(r->perm, r->memtype, r->share, r->opts);
}

/* AP[2:1] as a 2-bit value: bit 1 read-only, bit 0 EL0 access. */
static unsigned prs_perm_to_ap(unsigned perm)
{
	return ((perm & PRS_EL1_W) ? 0u : 2u) | ((perm & PRS_EL0_R) ? 1u : 0u);
}

static unsigned prs_ap_to_perm(unsigned ap)
{
	unsigned perm = PRS_EL1_R;

	if (!(ap & 2u))
		perm |= PRS_EL1_W;
	if (ap & 1u)
		perm |= PRS_EL0_R | ((ap & 2u) ? 0u : (unsigned)PRS_EL0_W);
	return perm;
}

int prs_region_encode(enum prs_arch a, const struct prs_region *r, prs_reg_t *prbar,
		      prs_reg_t *prlar)
{
	uint64_t bar, lar, ap, xn;
	int err;

	if (!r || !prbar || !prlar)
		return PRS_E_NULL;
	err = prs_region_check(a, r);
	if (err)
		return err;
	ap = prs_perm_to_ap(r->perm);
	xn = (r->perm & PRS_EXEC) ? 0u : 1u;
	lar = (r->limit & ~PRS_GRAN_MASK) | ((uint64_t)r->memtype << 1) | 1u;
	if (a == PRS_ARCH_AARCH32)
		bar = r->base | ((uint64_t)r->share << 3) | (ap << 1) | xn;
	else /* XN[1:0] = 0b10: never at EL1 and EL0 (see top of file) */
		bar = r->base | ((uint64_t)r->share << 4) | (ap << 2) | (xn << 1);
	*prbar = (prs_reg_t)bar;
	*prlar = (prs_reg_t)lar;
	return PRS_OK;
}

int prs_reg_span(enum prs_arch a, prs_reg_t prbar, prs_reg_t prlar, uint64_t *base,
		 uint64_t *limit)
{
	uint64_t mask = prs_span_mask(a);

	*base = (uint64_t)prbar & mask;
	*limit = ((uint64_t)prlar & mask) | PRS_GRAN_MASK;
	return ((uint64_t)prlar & 1u) != 0;
}

unsigned prs_reg_perm(enum prs_arch a, prs_reg_t prbar)
{
	uint64_t bar = prbar;
	unsigned ap, xn;

	if (a == PRS_ARCH_AARCH32) {
		ap = (unsigned)(bar >> 1) & 3u;
		xn = (unsigned)bar & 1u;
	} else {
		ap = (unsigned)(bar >> 2) & 3u;
		xn = (unsigned)bar & 3u; /* only 00 (executable) and 10 are written */
	}
	return prs_ap_to_perm(ap) | (xn ? 0u : (unsigned)PRS_EXEC);
}

int prs_region_decode(enum prs_arch a, prs_reg_t prbar, prs_reg_t prlar, struct prs_region *out)
{
	unsigned bits = prs_arch_addr_bits(a), sh;
	uint64_t bar = prbar, lar = prlar, addr_mask;
	struct prs_region r;

	if (!out)
		return PRS_E_NULL;
	if (!bits)
		return PRS_E_ARG;
	if (!(lar & 1u))
		return PRS_E_NOENT;
	addr_mask = PRS_ADDR_FIELD(bits);
	if (a == PRS_ARCH_AARCH32) {
		if (bar & ~(addr_mask | 0x1Fu))
			return PRS_E_ARG;
		sh = (unsigned)(bar >> 3) & 3u;
	} else {
		if (bar & ~(addr_mask | 0x3Fu))
			return PRS_E_ARG;
		sh = (unsigned)(bar >> 4) & 3u;
		if ((bar & 3u) == 1u || (bar & 3u) == 3u)
			return PRS_E_PERM;
	}
	if (lar & ~(addr_mask | 0xFu))
		return PRS_E_ARG;
	if (sh == 1u)
		return PRS_E_SHARE;
	(void)prs_reg_span(a, prbar, prlar, &r.base, &r.limit);
	if (r.limit < r.base)
		return PRS_E_EMPTY;
	r.perm = (uint8_t)prs_reg_perm(a, prbar);
	r.memtype = (uint8_t)((lar >> 1) & 7u);
	r.share = (uint8_t)sh;
	r.opts = ((r.perm & PRS_EXEC) && (r.perm & PRS_EL1_W)) ? (uint8_t)PRS_OPT_ALLOW_WX : 0u;
	*out = r;
	return PRS_OK;
}
