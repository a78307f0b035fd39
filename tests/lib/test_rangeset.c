/* SPDX-License-Identifier: MIT */
/* The refcounted range table: Xen's rules, and "untouched on error". */
#include "prs_lib_test.h"

#define CAP 4u

static struct prs_rangeset_entry store[CAP], store_copy[CAP];
static struct prs_rangeset set, set_copy;

static void fresh(void)
{
	prs_poison(store, sizeof(store));
	PRS_CHECK_EQ(prs_rangeset_init(&set, store, CAP, PRS_ARCH_AARCH32), PRS_OK);
}

static void snapshot(void)
{
	set_copy = set;
	for (unsigned i = 0; i < CAP; i++)
		store_copy[i] = store[i];
}

static int unchanged(void)
{
	return prs_same_bytes(&set, &set_copy, sizeof(set)) &&
	       prs_same_bytes(store, store_copy, sizeof(store));
}

static void test_init_errors(void)
{
	struct prs_rangeset s, before;

	prs_poison(&s, sizeof(s));
	before = s;
	PRS_CHECK_EQ(prs_rangeset_init(NULL, store, CAP, PRS_ARCH_AARCH32), PRS_E_NULL);
	PRS_CHECK_EQ(prs_rangeset_init(&s, NULL, CAP, PRS_ARCH_AARCH32), PRS_E_NULL);
	PRS_CHECK_EQ(prs_rangeset_init(&s, store, 0, PRS_ARCH_AARCH32), PRS_E_ARG);
	PRS_CHECK_EQ(prs_rangeset_init(&s, store, 0x10000u, PRS_ARCH_AARCH32), PRS_E_ARG);
	PRS_CHECK_EQ(prs_rangeset_init(&s, store, CAP, (enum prs_arch)5), PRS_E_ARG);
	PRS_CHECK(prs_same_bytes(&s, &before, sizeof(s)));
}

static void test_add_sorted_and_refcounted(void)
{
	struct prs_range a = prs_rng(0x3000, 0x100, P_RW, 0, PRS_SH_INNER, 0);
	struct prs_range b = prs_rng(0x1000, 0x100, P_R, 1, 0, 0);

	fresh();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &a), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(&set, &b), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(&set, &a), PRS_OK); /* same range: a reference */
	PRS_CHECK_EQ(set.n, 2);
	PRS_CHECK_EQ(set.e[0].r.base, 0x1000u);
	PRS_CHECK_EQ(set.e[1].r.base, 0x3000u);
	PRS_CHECK_EQ(set.e[1].refs, 2);
	PRS_CHECK_EQ(prs_rangeset_find(&set, 0x3000, 0x100), 1);
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x3000, 0x100), PRS_OK);
	PRS_CHECK_EQ(set.n, 2); /* one reference left */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x3000, 0x100), PRS_OK);
	PRS_CHECK_EQ(set.n, 1);
	PRS_CHECK_EQ(prs_rangeset_find(&set, 0x3000, 0x100), -1);
	/* touching ranges are not overlapping */
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1100, 0x40, P_R, 1, 0, 0 }),
		     PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0xFC0, 0x40, P_R, 1, 0, 0 }),
		     PRS_OK);
	PRS_CHECK_EQ(set.n, 3);
}

struct add_err {
	struct prs_range r;
	int err;
};

static void test_add_errors_leave_table(void)
{
	static const struct add_err cases[] = {
		{ { 0x1000, 0x100, P_RW, 1, PRS_SH_INNER, 0 }, PRS_E_TYPECHG },
		{ { 0x1000, 0x100, P_R, 0, PRS_SH_INNER, 0 }, PRS_E_ATTRCHG },
		{ { 0x1000, 0x100, P_RW, 0, PRS_SH_OUTER, 0 }, PRS_E_ATTRCHG },
		{ { 0x1000, 0x100, P_RW, 0, PRS_SH_INNER, 1 }, PRS_E_ATTRCHG },
		{ { 0x1040, 0x40, P_RW, 0, PRS_SH_INNER, 0 }, PRS_E_CONFLICT },  /* inside */
		{ { 0xFC0, 0x80, P_RW, 0, PRS_SH_INNER, 0 }, PRS_E_CONFLICT },   /* straddles */
		{ { 0x0, 0x10000, P_RW, 0, PRS_SH_INNER, 0 }, PRS_E_CONFLICT },  /* covers */
		{ { 0x1000, 0x40, P_RW, 0, PRS_SH_INNER, 0 }, PRS_E_CONFLICT },  /* same base */
		{ { 0x1000, 0x100, 0, 0, PRS_SH_INNER, 0 }, PRS_E_ATTRCHG },     /* hole */
		{ { 0x1000, 0, P_RW, 0, 0, 0 }, PRS_E_EMPTY },
		{ { 0x1001, 0x40, P_RW, 0, 0, 0 }, PRS_E_ALIGN },
		{ { 0xFFFFFFFFFFFFFFC0ull, 0x80, P_RW, 0, 0, 0 }, PRS_E_WRAP },
		{ { 0xFFFFFFC0u, 0x80, P_RW, 0, 0, 0 }, PRS_E_ADDR },
		{ { 0x8000, 0x40, P_RW, 8, 0, 0 }, PRS_E_MEMTYPE },
		{ { 0x8000, 0x40, P_RW, 0, 1, 0 }, PRS_E_SHARE },
		{ { 0x8000, 0x40, PRS_EL0_R, 0, 0, 0 }, PRS_E_PERM },
		{ { 0x8000, 0x40, P_RWRW | PRS_EXEC, 0, 0, 1 }, PRS_E_EL0W_X },
		{ { 0x8000, 0x40, P_RW | PRS_EXEC, 0, 0, 0 }, PRS_E_WX },
		{ { 0x8000, 0x40, P_RW, 0, 0, 2 }, PRS_E_ARG },
	};
	struct prs_range base = prs_rng(0x1000, 0x100, P_RW, 0, PRS_SH_INNER, 0);

	fresh();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &base), PRS_OK);
	snapshot();
	PRS_CHECK_EQ(prs_rangeset_add(NULL, &base), PRS_E_NULL);
	PRS_CHECK_EQ(prs_rangeset_add(&set, NULL), PRS_E_NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = prs_rangeset_add(&set, &cases[i].r);

		if (got != cases[i].err)
			prs_test_printf("  case %u: got %s\n", (unsigned)i, prs_errname(got));
		PRS_CHECK_EQ(got, cases[i].err);
		PRS_CHECK(unchanged());
	}
}

static void test_add_full(void)
{
	fresh();
	for (unsigned i = 0; i < CAP; i++)
		PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1000u * (i + 1u), 0x40,
									 P_RW, 0, 0, 0 }),
			     PRS_OK);
	snapshot();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x100000, 0x40, P_RW, 0, 0, 0 }),
		     PRS_E_FULL);
	PRS_CHECK(unchanged());
	/* a reference on a present range still works when full */
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1000, 0x40, P_RW, 0, 0, 0 }),
		     PRS_OK);
}

static void test_refcount_overflow(void)
{
	struct prs_range r = prs_rng(0x1000, 0x40, P_R, 0, 0, 0);

	fresh();
	for (unsigned i = 0; i < 0xFFFFu; i++)
		if (prs_rangeset_add(&set, &r) != PRS_OK)
			break;
	PRS_CHECK_EQ(set.e[0].refs, 0xFFFFu);
	snapshot();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &r), PRS_E_REFOVF);
	PRS_CHECK(unchanged());
}

static void test_remove_errors_leave_table(void)
{
	fresh();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1000, 0x100, P_RW, 0, 0, 0 }),
		     PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1100, 0x100, P_R, 0, 0, 0 }),
		     PRS_OK);
	snapshot();
	PRS_CHECK_EQ(prs_rangeset_remove(NULL, 0x1000, 0x100), PRS_E_NULL);
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x1000, 0x40), PRS_E_PARTIAL);  /* sub-range */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x1040, 0x40), PRS_E_PARTIAL);  /* inner */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x1000, 0x200), PRS_E_PARTIAL); /* spans two */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x0FC0, 0x80), PRS_E_PARTIAL);  /* straddles */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x2000, 0x100), PRS_E_NOENT);
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x0F00, 0x100), PRS_E_NOENT);   /* touches */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x1000, 0), PRS_E_EMPTY);
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0xFFFFFFFFFFFFFF00ull, 0x200), PRS_E_WRAP);
	PRS_CHECK(unchanged());
}

static void test_update_rules(void)
{
	struct prs_range rw = prs_rng(0x1000, 0x100, P_RWRW, 2, PRS_SH_INNER, 0);
	struct prs_range ro = rw, rx = rw, wx = rw;

	ro.perm = P_RR;
	rx.perm = P_RR | PRS_EXEC;
	wx.perm = P_RW | PRS_EXEC;
	wx.opts = PRS_OPT_ALLOW_WX;
	fresh();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &rw), PRS_OK);
	PRS_CHECK_EQ(prs_rangeset_update(&set, &ro), PRS_OK); /* RO: allowed, refs 1 */
	PRS_CHECK_EQ(set.e[0].r.perm, P_RR);
	PRS_CHECK_EQ(prs_rangeset_update(&set, &rx), PRS_OK); /* XN cleared on RO */
	PRS_CHECK_EQ(set.e[0].r.perm, P_RR | PRS_EXEC);
	PRS_CHECK_EQ(prs_rangeset_update(&set, &rx), PRS_OK); /* no-op */
	PRS_CHECK_EQ(prs_rangeset_add(&set, &rx), PRS_OK);    /* second reference */
	snapshot();
	PRS_CHECK_EQ(prs_rangeset_update(&set, &ro), PRS_E_SHARED);
	PRS_CHECK(unchanged());
	PRS_CHECK_EQ(prs_rangeset_update(&set, &rx), PRS_OK); /* no change: fine when shared */
	PRS_CHECK_EQ(prs_rangeset_remove(&set, 0x1000, 0x100), PRS_OK);
	snapshot();
	{
		struct prs_range mt = rx, sh = rx, el0 = rx, hole = rx, part = rx, none = rx,
				 bad = rx;

		mt.memtype = 3;
		sh.share = PRS_SH_OUTER;
		el0.perm = P_R | PRS_EXEC;  /* drops EL0 read: not an RO/XN change */
		hole.perm = 0;
		part.size = 0x40;
		none.base = 0x8000;
		bad.perm = P_RWRW | PRS_EXEC;
		PRS_CHECK_EQ(prs_rangeset_update(NULL, &rx), PRS_E_NULL);
		PRS_CHECK_EQ(prs_rangeset_update(&set, NULL), PRS_E_NULL);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &mt), PRS_E_TYPECHG);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &sh), PRS_E_ATTRCHG);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &el0), PRS_E_ATTRCHG);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &hole), PRS_E_ATTRCHG);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &part), PRS_E_PARTIAL);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &none), PRS_E_NOENT);
		PRS_CHECK_EQ(prs_rangeset_update(&set, &bad), PRS_E_EL0W_X);
		PRS_CHECK(unchanged());
	}
	fresh();
	PRS_CHECK_EQ(prs_rangeset_add(&set, &(struct prs_range){ 0x1000, 0x100, P_RW, 0, 0, 0 }),
		     PRS_OK);
	snapshot();
	wx.memtype = 0;
	wx.share = 0;
	wx.opts = 0;
	PRS_CHECK_EQ(prs_rangeset_update(&set, &wx), PRS_E_WX); /* W+X needs consent */
	PRS_CHECK(unchanged());
	wx.opts = PRS_OPT_ALLOW_WX;
	PRS_CHECK_EQ(prs_rangeset_update(&set, &wx), PRS_OK);
}

static const struct prs_test prs_tests[] = {
	PRS_TEST_ENTRY(test_init_errors),
	PRS_TEST_ENTRY(test_add_sorted_and_refcounted),
	PRS_TEST_ENTRY(test_add_errors_leave_table),
	PRS_TEST_ENTRY(test_add_full),
	PRS_TEST_ENTRY(test_refcount_overflow),
	PRS_TEST_ENTRY(test_remove_errors_leave_table),
	PRS_TEST_ENTRY(test_update_rules),
};

PRS_TEST_MAIN("lib_rangeset", prs_tests)
