/* SPDX-License-Identifier: MIT */
/*
 * Bad input and exhaustion on target, through the system calls. Thread B
 * (core 0) asks the kernel to grant itself ranges that must be refused --
 * misaligned, overlapping a static (kernel) region, writable + executable
 * at EL1, EL0-writable + executable, revokes of a range never granted and
 * of part of a partition -- and then grants separate pages until the MPU
 * runs out of slots. Each refusal must carry its exact PRS_E_ code, and
 * after it B keeps running with its previous set: the published word
 * (epoch and version) is unchanged, its old partitions still read and
 * write, and the refused range still faults. The exhaustion run must
 * succeed for exactly the free slot count of B's published set (read back
 * from core 0's MPU when B starts, its set loaded), fail the next one with
 * PRS_E_NOSPACE, and leave everything as after the last success. A thread
 * on core 1 runs meanwhile so that every publish has a second CPU to
 * consider.
 * Catches: a rangeset edited before a builder failure and not rolled back
 * (the word changes or a later grant sees the leftover), a version published
 * on failure, a wrong or generic error code, a slot count off by one.
 */
#include "kernel_test.h"

#define OFF_OLD 0x800u /* above struct bad_param, which lives at the start of P1 */

enum { C_ALIGN, C_STATIC, C_WX, C_EL0WX, C_NOENT, C_PARTIAL, C_NCASES };

struct bad_param {
	uintptr_t p1, p2, fresh, kpage; /* fresh: a page B does not have */
	uint32_t nfree;                 /* free dynamic slots with B's set loaded (read back) */
	uintptr_t pages;                /* 2 * (nfree + 1) pages or more: grant every other one */
	int32_t err[C_NCASES];
	uint32_t same_word[C_NCASES], old_ok[C_NCASES], new_faults[C_NCASES];
	uint32_t granted;      /* exhaustion: grants that succeeded */
	int32_t exhaust_err;   /* and the error of the next one */
	uint32_t exhaust_same, exhaust_old_ok, exhaust_new_faults, revoked_ok;
};

#define RW_ATTR PRS_K_ATTR(KT_PERM_RW, RT_ATTR_NORMAL_WB, PRS_SH_INNER, 0)

/* B's old partitions still work: 1 if both read back what is written and nothing faulted. */
PRS_K_USER static uint32_t old_ok(const struct bad_param *p, uint32_t v)
{
	uint32_t f0 = prs_k_faults_sys();

	prs_k_poke(p->p1 + OFF_OLD, v);
	prs_k_poke(p->p2 + OFF_OLD, ~v);
	return prs_k_peek(p->p1 + OFF_OLD, 0) == v && prs_k_peek(p->p2 + OFF_OLD, 0) == ~v &&
	       prs_k_faults_sys() == f0;
}

/* 1 if a read of addr faults (exactly once). */
PRS_K_USER static uint32_t faults_at(uintptr_t addr)
{
	uint32_t f0 = prs_k_faults_sys();

	(void)prs_k_peek(addr, 0);
	return prs_k_faults_sys() == f0 + 1u;
}

PRS_K_USER static void one_case(struct bad_param *p, uint32_t self, unsigned c, uintptr_t probe)
{
	uint32_t w0 = prs_k_word_sys(self);
	int err;

	switch (c) {
	case C_ALIGN:
		err = prs_k_grant_sys(self, p->fresh + 32u, PRS_K_PAGE, RW_ATTR);
		break;
	case C_STATIC:
		err = prs_k_grant_sys(self, p->kpage, PRS_K_PAGE, RW_ATTR);
		break;
	case C_WX:
		err = prs_k_grant_sys(self, p->fresh, PRS_K_PAGE,
				      PRS_K_ATTR(PRS_EL1_R | PRS_EL1_W | PRS_EXEC, 0, PRS_SH_NONE, 0));
		break;
	case C_EL0WX:
		err = prs_k_grant_sys(self, p->fresh, PRS_K_PAGE,
				      PRS_K_ATTR(KT_PERM_RW | PRS_EXEC, 0, PRS_SH_NONE, 0));
		break;
	case C_NOENT:
		err = prs_k_revoke_sys(self, p->fresh, PRS_K_PAGE);
		break;
	default:
		err = prs_k_revoke_sys(self, p->p1, PRS_K_PAGE / 2u);
		break;
	}
	p->err[c] = err;
	p->same_word[c] = prs_k_word_sys(self) == w0;
	p->old_ok[c] = old_ok(p, 0x1000u + c);
	p->new_faults[c] = faults_at(probe);
}

PRS_K_USER static void exhaust(struct bad_param *p, uint32_t self)
{
	uint32_t i, w0;
	int err = 0;

	for (i = 0; i <= p->nfree; i++) {
		w0 = prs_k_word_sys(self);
		err = prs_k_grant_sys(self, p->pages + 2u * i * PRS_K_PAGE, PRS_K_PAGE, RW_ATTR);
		if (err)
			break;
		prs_k_poke(p->pages + 2u * i * PRS_K_PAGE, i); /* the new page works */
	}
	p->granted = i;
	p->exhaust_err = err;
	p->exhaust_same = prs_k_word_sys(self) == w0;
	p->exhaust_old_ok = old_ok(p, 0x2000u);
	p->exhaust_new_faults = faults_at(p->pages + 2u * i * PRS_K_PAGE);
	p->revoked_ok = 0;
	for (uint32_t k = 0; k < p->granted; k++)
		p->revoked_ok += prs_k_revoke_sys(self, p->pages + 2u * k * PRS_K_PAGE,
						  PRS_K_PAGE) == 0;
}

PRS_K_USER static void bad_thread(void *arg)
{
	struct bad_param *p = arg;
	uint32_t self = prs_k_self();

	/* B's published set is in core 0's MPU now: its free slots, read back. */
	p->nfree = prs_k_mpu_free_sys();
	one_case(p, self, C_ALIGN, p->fresh);
	one_case(p, self, C_STATIC, p->kpage);
	one_case(p, self, C_WX, p->fresh);
	one_case(p, self, C_EL0WX, p->fresh);
	one_case(p, self, C_NOENT, p->fresh);
	one_case(p, self, C_PARTIAL, p->fresh);
	exhaust(p, self);
	prs_k_exit(0);
}

/* Core 1: keeps its core busy with switches of its own until B is done. */
PRS_K_USER static void busy_thread(void *arg)
{
	volatile uint32_t *own = arg;

	for (uint32_t i = 0; i < 2000u; i++) {
		own[i & 63u] = i;
		prs_k_yield();
	}
	prs_k_exit(0);
}

static const int want[C_NCASES] = { PRS_E_ALIGN, PRS_E_STATIC, PRS_E_WX, PRS_E_EL0W_X,
				    PRS_E_NOENT, PRS_E_PARTIAL };
static const char *const case_name[C_NCASES] = { "misaligned", "static overlap", "W+X",
						 "EL0 W+X", "revoke never granted",
						 "partial revoke" };

static void check(const struct bad_param *p, const struct prs_k_thread *b, uint32_t w_start)
{
	/* B's set has its stack and two partitions at least, and leaves room. */
	KT_CHECK(p->nfree >= 2u);
	KT_CHECK(p->nfree + 3u <= rt_mpu_nregions() - rt_mpu_nstatic());
	for (unsigned c = 0; c < C_NCASES; c++) {
		rt_printf("kernel_badinput: %-20s -> %s, word %s, old partitions %s, range %s\n",
			  case_name[c], prs_errname(p->err[c]),
			  p->same_word[c] ? "unchanged" : "CHANGED",
			  p->old_ok[c] ? "ok" : "BROKEN",
			  p->new_faults[c] ? "faults" : "ACCESSIBLE");
		KT_CHECK_EQ(p->err[c], want[c]);
		KT_CHECK_EQ(p->same_word[c], 1);
		KT_CHECK_EQ(p->old_ok[c], 1);
		KT_CHECK_EQ(p->new_faults[c], 1);
	}
	rt_printf("kernel_badinput: exhaustion: %lu grants of %lu free slots, then %s; word %s, "
		  "old partitions %s, range %s; %lu revoked\n", (unsigned long)p->granted,
		  (unsigned long)p->nfree, prs_errname(p->exhaust_err),
		  p->exhaust_same ? "unchanged" : "CHANGED", p->exhaust_old_ok ? "ok" : "BROKEN",
		  p->exhaust_new_faults ? "faults" : "ACCESSIBLE", (unsigned long)p->revoked_ok);
	KT_CHECK_EQ(p->granted, p->nfree);
	KT_CHECK_EQ(p->exhaust_err, PRS_E_NOSPACE);
	KT_CHECK_EQ(p->exhaust_same, 1);
	KT_CHECK_EQ(p->exhaust_old_ok, 1);
	KT_CHECK_EQ(p->exhaust_new_faults, 1);
	KT_CHECK_EQ(p->revoked_ok, p->nfree);
	/* Publishes: one per successful grant and revoke, none for any failure. */
	KT_CHECK_EQ(prs_word_epoch(prs_k_word(b)) - prs_word_epoch(w_start), 2u * p->nfree);
	KT_CHECK_EQ(b->exit_code, 0);
	/* Faults: one probe per case, one after exhaustion, nothing else. */
	KT_CHECK_EQ(b->nfaults, C_NCASES + 1u);
}

static uint32_t kernel_page[PRS_K_PAGE / 4u]; /* .bss: inside the static RW region */

int main(void)
{
	struct prs_k_thread *b, *q;
	struct prs_range parts[2];
	struct bad_param *p;
	uintptr_t p1, p2, fresh, q1;
	uint32_t w_start;

	KT_CHECK_EQ(prs_k_init(NULL), PRS_OK);
	p1 = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE); /* gap: P1 and P2 are separate regions */
	p2 = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE);
	fresh = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	(void)prs_k_pages(PRS_K_PAGE);
	q1 = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	parts[0] = kt_rw_range((void *)p1, PRS_K_PAGE);
	parts[1] = kt_rw_range((void *)p2, PRS_K_PAGE);
	p = (struct bad_param *)(void *)p1; /* B's parameters: in its own partition */
	*p = (struct bad_param){ .p1 = p1, .p2 = p2, .fresh = fresh,
				 .kpage = (uintptr_t)kernel_page & ~(uintptr_t)(PRS_K_PAGE - 1u) };
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "B", .entry = bad_thread, .arg = p, .cpu = 0, .parts = parts,
		.nparts = 2 }, &b), PRS_OK);
	parts[0] = kt_rw_range((void *)q1, PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
		.name = "Q", .entry = busy_thread, .arg = (void *)q1, .cpu = 1, .parts = parts,
		.nparts = 1 }, &q), PRS_OK);
	if (kt_failures)
		return 1;
	/*
	 * Pages for the exhaustion run: B measures its free slots when it
	 * starts (prs_k_mpu_free_sys); at most every dynamic slot is free.
	 */
	p->pages = (uintptr_t)prs_k_pages(2u * (rt_mpu_nregions() - rt_mpu_nstatic() + 1u) *
					  PRS_K_PAGE);
	KT_CHECK(p->pages != 0);
	w_start = prs_k_word(b);
	KT_CHECK_EQ(prs_k_run(), 0);
	check(p, b, w_start);
	KT_CHECK_EQ(q->exit_code, 0);
	prs_k_print_stats("kernel_badinput");
	rt_printf("kernel_badinput: %s\n", kt_failures ? "FAIL" : "ok");
	return kt_failures ? 1 : 0;
}
