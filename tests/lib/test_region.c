/* SPDX-License-Identifier: MIT */
/* Validation codes and the two register formats, against hand-computed values. */
#include "prs_lib_test.h"

struct enc_case {
	enum prs_arch arch;
	struct prs_range r;
	uint64_t prbar, prlar;
};

/*
 * Hand-derived (field by field, from the layouts in region.c):
 * A32 #1 base 0x20000000, limit 0x20000FFF, RW both (AP 01), XN 1, SH inner (11),
 *   AttrIndx 1: PRBAR = 0x20000000 | 3<<3 (0x18) | 1<<1 (0x2) | 1 = 0x2000001B;
 *   PRLAR = 0x20000FC0 | 1<<1 | EN = 0x20000FC3.
 * A32 #2 base 0x40, limit 0x7F, EL1 RO + exec (AP 10, XN 0), SH 00, AttrIndx 7:
 *   PRBAR = 0x40 | 2<<1 = 0x44; PRLAR = 0x40 | 7<<1 | 1 = 0x4F.
 * A32 #3 base 0xFFFFFFC0 (last granule), RO both (AP 11), XN 1, SH outer (10),
 *   AttrIndx 0: PRBAR = 0xFFFFFFC0 | 2<<3 | 3<<1 | 1 = 0xFFFFFFD7;
 *   PRLAR = 0xFFFFFFC0 | 1 = 0xFFFFFFC1.
 * A32 #4 base 0x10000000, size 256 MiB, EL1 RW + exec (allowed), AP 00, XN 0,
 *   SH 00, AttrIndx 2: PRBAR = 0x10000000; PRLAR = 0x1FFFFFC0 | 2<<1 | 1 = 0x1FFFFFC5.
 * A64 #5 base 0x20000000, 4 KiB, RO both (AP 11 at [3:2]), XN 0b10, SH 00,
 *   AttrIndx 1: PRBAR = 0x20000000 | 3<<2 | 2 = 0x2000000E; PRLAR = 0x20000FC3.
 * A64 #6 base 0xFFFFFFFFF000 (top 4 KiB of 48 bits), RW both (AP 01), XN 0b10,
 *   SH inner (11 at [5:4]), AttrIndx 5: PRBAR = 0xFFFFFFFFF000 | 0x30 | 0x4 | 0x2
 *   = 0xFFFFFFFFF036; PRLAR = 0xFFFFFFFFFFC0 | 5<<1 | 1 = 0xFFFFFFFFFFCB.
 * A64 #7 base 0x100000000, 128 bytes, EL1 RO + exec (AP 10, XN 00), SH outer,
 *   AttrIndx 0: PRBAR = 0x100000000 | 2<<4 | 2<<2 = 0x100000028;
 *   PRLAR = 0x100000040 | 1 = 0x100000041.
 */
static const struct enc_case enc_cases[] = {
	{ PRS_ARCH_AARCH32, { 0x20000000u, 0x1000u, P_RWRW, 1, PRS_SH_INNER, 0 }, 0x2000001Bu,
	  0x20000FC3u },
	{ PRS_ARCH_AARCH32, { 0x40u, 0x40u, P_RX, 7, PRS_SH_NONE, 0 }, 0x44u, 0x4Fu },
	{ PRS_ARCH_AARCH32, { 0xFFFFFFC0u, 0x40u, P_RR, 0, PRS_SH_OUTER, 0 }, 0xFFFFFFD7u,
	  0xFFFFFFC1u },
	{ PRS_ARCH_AARCH32,
	  { 0x10000000u, 0x10000000u, P_RW | PRS_EXEC, 2, PRS_SH_NONE, PRS_OPT_ALLOW_WX },
	  0x10000000u, 0x1FFFFFC5u },
	{ PRS_ARCH_AARCH64, { 0x20000000u, 0x1000u, P_RR, 1, PRS_SH_NONE, 0 }, 0x2000000Eu,
	  0x20000FC3u },
#if !defined(__arm__)
	{ PRS_ARCH_AARCH64, { 0xFFFFFFFFF000ull, 0x1000u, P_RWRW, 5, PRS_SH_INNER, 0 },
	  0xFFFFFFFFF036ull, 0xFFFFFFFFFFCBull },
	{ PRS_ARCH_AARCH64, { 0x100000000ull, 0x80u, P_RX, 0, PRS_SH_OUTER, 0 }, 0x100000028ull,
	  0x100000041ull },
#endif
};

static void test_encode_hand_values(void)
{
	for (size_t i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
		const struct enc_case *c = &enc_cases[i];
		struct prs_region r, back;
		prs_reg_t bar = 0, lar = 0;

		PRS_CHECK_EQ(prs_range_check(&c->r, c->arch), PRS_OK);
		prs_range_to_region(&c->r, &r);
		PRS_CHECK_EQ(prs_region_encode(c->arch, &r, &bar, &lar), PRS_OK);
		PRS_CHECK_EQ(bar, c->prbar);
		PRS_CHECK_EQ(lar, c->prlar);
		PRS_CHECK_EQ(prs_region_decode(c->arch, bar, lar, &back), PRS_OK);
		PRS_CHECK_EQ(back.base, r.base);
		PRS_CHECK_EQ(back.limit, r.limit);
		PRS_CHECK_EQ(back.perm, r.perm);
		PRS_CHECK_EQ(back.memtype, r.memtype);
		PRS_CHECK_EQ(back.share, r.share);
		PRS_CHECK_EQ(back.opts, r.opts);
	}
}

/*
 * Every expressible attribute combination survives encode -> decode, and
 * prs_reg_perm reads back from the PRBAR alone exactly the permission
 * encoded, whatever the shareability and memory type around it.
 */
static void test_encode_roundtrip_all_attrs(void)
{
	static const uint8_t shares[] = { PRS_SH_NONE, PRS_SH_OUTER, PRS_SH_INNER };
	unsigned encodable[2] = { 0, 0 };

	for (unsigned arch = 0; arch < 2; arch++)
		for (unsigned perm = 1; perm <= PRS_PERM_MASK; perm++)
			for (unsigned mt = 0; mt < 8; mt++)
				for (unsigned s = 0; s < 3; s++) {
					struct prs_region r = { 0x1000u, 0x1FFFu, (uint8_t)perm,
								(uint8_t)mt, shares[s], 0 }, back;
					prs_reg_t bar, lar;

					r.opts = ((perm & PRS_EXEC) && (perm & PRS_EL1_W))
							 ? (uint8_t)PRS_OPT_ALLOW_WX
							 : 0u;
					if (prs_region_encode((enum prs_arch)arch, &r, &bar, &lar))
						continue;
					PRS_CHECK_EQ(prs_region_decode((enum prs_arch)arch, bar, lar,
								       &back),
						     PRS_OK);
					/* field by field: padding differs on AArch32 */
					PRS_CHECK(back.base == r.base && back.limit == r.limit &&
						  back.perm == r.perm && back.memtype == r.memtype &&
						  back.share == r.share && back.opts == r.opts);
					PRS_CHECK_EQ(prs_reg_perm((enum prs_arch)arch, bar), perm);
					encodable[arch] += mt == 0 && s == 0;
				}
	/* R, RW, R+EL0 R, RW+EL0 RW; each with EXEC except RW+EL0 RW: the loop saw them all */
	PRS_CHECK_EQ(encodable[0], 7);
	PRS_CHECK_EQ(encodable[1], 7);
}

struct chk_case {
	enum prs_arch arch;
	struct prs_range r;
	int err;
};

static const struct chk_case chk_cases[] = {
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW, 0, 0, 0 }, PRS_OK },
	{ (enum prs_arch)7, { 0x1000u, 0x40u, P_RW, 0, 0, 0 }, PRS_E_ARG },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW, 0, 0, 2 }, PRS_E_ARG },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0, P_RW, 0, 0, 0 }, PRS_E_EMPTY },
	{ PRS_ARCH_AARCH32, { 0x1020u, 0x40u, P_RW, 0, 0, 0 }, PRS_E_ALIGN },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x50u, P_RW, 0, 0, 0 }, PRS_E_ALIGN },
	{ PRS_ARCH_AARCH64, { 0xFFFFFFFFFFFFFFC0ull, 0x80u, P_RW, 0, 0, 0 }, PRS_E_WRAP },
	{ PRS_ARCH_AARCH32, { 0xFFFFFFC0u, 0x80u, P_RW, 0, 0, 0 }, PRS_E_ADDR },
	{ PRS_ARCH_AARCH32, { 0x100000000ull, 0x40u, P_RW, 0, 0, 0 }, PRS_E_ADDR },
	{ PRS_ARCH_AARCH32, { 0xFFFFFFC0u, 0x40u, P_RW, 0, 0, 0 }, PRS_OK },
	{ PRS_ARCH_AARCH64, { 0xFFFFFFFFFFC0ull, 0x40u, P_RW, 0, 0, 0 },
#if defined(__arm__)
	  PRS_E_ADDR /* a 32-bit build holds AArch64 values below 4 GiB only */
#else
	  PRS_OK
#endif
	},
	{ PRS_ARCH_AARCH64, { 0x1000000000000ull, 0x40u, P_RW, 0, 0, 0 }, PRS_E_ADDR },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW, 8, 0, 0 }, PRS_E_MEMTYPE },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW, 0, 1, 0 }, PRS_E_SHARE },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW, 0, 4, 0 }, PRS_E_SHARE },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, PRS_EL0_R, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW | PRS_EL0_R, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RR | PRS_EL0_W, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, PRS_EL1_W, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW | PRS_EL0_W, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, PRS_EXEC, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, 0x20, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RWRW | PRS_EXEC, 0, 0, 0 }, PRS_E_EL0W_X },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RWRW | PRS_EXEC, 0, 0, PRS_OPT_ALLOW_WX },
	  PRS_E_EL0W_X },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW | PRS_EXEC, 0, 0, 0 }, PRS_E_WX },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, P_RW | PRS_EXEC, 0, 0, PRS_OPT_ALLOW_WX }, PRS_OK },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x40u, 0, 0, 0, 0 }, PRS_OK }, /* a hole */
};

static void test_range_check_codes(void)
{
	PRS_CHECK_EQ(prs_range_check(NULL, PRS_ARCH_AARCH32), PRS_E_NULL);
	for (size_t i = 0; i < sizeof(chk_cases) / sizeof(chk_cases[0]); i++) {
		int got = prs_range_check(&chk_cases[i].r, chk_cases[i].arch);

		if (got != chk_cases[i].err)
			prs_test_printf("  case %u: got %s\n", (unsigned)i, prs_errname(got));
		PRS_CHECK_EQ(got, chk_cases[i].err);
	}
}

struct encerr_case {
	enum prs_arch arch;
	struct prs_region r;
	int err;
};

static const struct encerr_case encerr_cases[] = {
	{ (enum prs_arch)2, { 0x1000u, 0x103Fu, P_RW, 0, 0, 0 }, PRS_E_ARG },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x103Fu, P_RW, 0, 0, 4 }, PRS_E_ARG },
	{ PRS_ARCH_AARCH32, { 0x1040u, 0x103Fu, P_RW, 0, 0, 0 }, PRS_E_EMPTY },
	{ PRS_ARCH_AARCH32, { 0x1010u, 0x103Fu, P_RW, 0, 0, 0 }, PRS_E_ALIGN },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x1040u, P_RW, 0, 0, 0 }, PRS_E_ALIGN },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x10000003Full, P_RW, 0, 0, 0 }, PRS_E_ADDR },
	{ PRS_ARCH_AARCH64, { 0x1000u, 0x100000000003Full, P_RW, 0, 0, 0 }, PRS_E_ADDR },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x103Fu, P_RW, 9, 0, 0 }, PRS_E_MEMTYPE },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x103Fu, P_RW, 0, 1, 0 }, PRS_E_SHARE },
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x103Fu, 0, 0, 0, 0 }, PRS_E_PERM }, /* hole */
	{ PRS_ARCH_AARCH32, { 0x1000u, 0x103Fu, PRS_EL0_R, 0, 0, 0 }, PRS_E_PERM },
	{ PRS_ARCH_AARCH64, { 0x1000u, 0x103Fu, P_RWRW | PRS_EXEC, 0, 0, 1 }, PRS_E_EL0W_X },
	{ PRS_ARCH_AARCH64, { 0x1000u, 0x103Fu, P_RW | PRS_EXEC, 0, 0, 0 }, PRS_E_WX },
};

static void test_encode_errors_leave_outputs(void)
{
	struct prs_region r = { 0x1000u, 0x103Fu, P_RW, 0, 0, 0 };
	prs_reg_t bar = 0x1234u, lar = 0x5678u;

	PRS_CHECK_EQ(prs_region_encode(PRS_ARCH_AARCH32, NULL, &bar, &lar), PRS_E_NULL);
	PRS_CHECK_EQ(prs_region_encode(PRS_ARCH_AARCH32, &r, NULL, &lar), PRS_E_NULL);
	PRS_CHECK_EQ(prs_region_encode(PRS_ARCH_AARCH32, &r, &bar, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(lar, 0x5678u);
	for (size_t i = 0; i < sizeof(encerr_cases) / sizeof(encerr_cases[0]); i++) {
		bar = 0x1234u;
		lar = 0x5678u;
		PRS_CHECK_EQ(prs_region_encode(encerr_cases[i].arch, &encerr_cases[i].r, &bar, &lar),
			     encerr_cases[i].err);
		PRS_CHECK_EQ(bar, 0x1234u);
		PRS_CHECK_EQ(lar, 0x5678u);
	}
}

struct decerr_case {
	enum prs_arch arch;
	uint64_t prbar, prlar;
	int err;
};

static const struct decerr_case decerr_cases[] = {
	{ (enum prs_arch)3, 0x1000u, 0x1001u, PRS_E_ARG },
	{ PRS_ARCH_AARCH32, 0x1000u, 0x1000u, PRS_E_NOENT },  /* EN = 0 */
	{ PRS_ARCH_AARCH32, 0x1020u, 0x1001u, PRS_E_ARG },    /* PRBAR bit 5 is RES0 */
	{ PRS_ARCH_AARCH32, 0x1000u, 0x1011u, PRS_E_ARG },    /* PRLAR bit 4 is RES0 */
	{ PRS_ARCH_AARCH32, 0x1008u, 0x1001u, PRS_E_SHARE },  /* SH = 01 */
	{ PRS_ARCH_AARCH64, 0x1010u, 0x1001u, PRS_E_SHARE },  /* SH = 01 */
	{ PRS_ARCH_AARCH64, 0x1001u, 0x1001u, PRS_E_PERM },   /* XN = 01 */
	{ PRS_ARCH_AARCH64, 0x1003u, 0x1001u, PRS_E_PERM },   /* XN = 11 */
	{ PRS_ARCH_AARCH32, 0x2000u, 0x1001u, PRS_E_EMPTY },  /* limit below base */
};

static void test_decode_errors_leave_output(void)
{
	struct prs_region out, before;

	prs_poison(&out, sizeof(out));
	before = out;
	PRS_CHECK_EQ(prs_region_decode(PRS_ARCH_AARCH32, 0x1000u, 0x1001u, NULL), PRS_E_NULL);
	for (size_t i = 0; i < sizeof(decerr_cases) / sizeof(decerr_cases[0]); i++) {
		PRS_CHECK_EQ(prs_region_decode(decerr_cases[i].arch, (prs_reg_t)decerr_cases[i].prbar,
					       (prs_reg_t)decerr_cases[i].prlar, &out),
			     decerr_cases[i].err);
		PRS_CHECK(prs_same_bytes(&out, &before, sizeof(out)));
	}
}

/*
 * prs_reg_perm on the hand-derived PRBARs above (the round trip covers every
 * combination), and on AArch64 XN values the library never writes.
 */
static void test_reg_perm_hand_values(void)
{
	for (size_t i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++)
		PRS_CHECK_EQ(prs_reg_perm(enc_cases[i].arch, (prs_reg_t)enc_cases[i].prbar),
			     enc_cases[i].r.perm);
	/* XN 01 and 11 read as not executable; 00 as executable */
	PRS_CHECK_EQ(prs_reg_perm(PRS_ARCH_AARCH64, 0x1000u | (2u << 2) | 1u), P_R);
	PRS_CHECK_EQ(prs_reg_perm(PRS_ARCH_AARCH64, 0x1000u | (2u << 2) | 3u), P_R);
	PRS_CHECK_EQ(prs_reg_perm(PRS_ARCH_AARCH64, 0x1000u | (2u << 2)), P_RX);
	/* the same AP bits one place lower are the AArch32 layout */
	PRS_CHECK_EQ(prs_reg_perm(PRS_ARCH_AARCH32, 0x1000u | (2u << 1) | 1u), P_R);
	PRS_CHECK_EQ(prs_reg_perm(PRS_ARCH_AARCH32, 0x1000u | (3u << 1)), P_RR | PRS_EXEC);
}

static void test_strerror_names_every_code(void)
{
	for (int e = 0; e < PRS_E__COUNT; e++) {
		const char *n = prs_errname(e);

		PRS_CHECK(n[0] == 'P' && n[1] == 'R' && n[2] == 'S');
		PRS_CHECK(prs_strerror(e)[0] != '\0');
	}
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_encode_hand_values),
	PRS_TEST_ENTRY(test_encode_roundtrip_all_attrs),
	PRS_TEST_ENTRY(test_range_check_codes),
	PRS_TEST_ENTRY(test_encode_errors_leave_outputs),
	PRS_TEST_ENTRY(test_decode_errors_leave_output),
	PRS_TEST_ENTRY(test_strerror_names_every_code),
	PRS_TEST_ENTRY(test_reg_perm_hand_values),
};

PRS_TEST_MAIN("lib_region", prs_tests)
