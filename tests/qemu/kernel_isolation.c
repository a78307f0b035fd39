/* SPDX-License-Identifier: MIT */
/*
 * Isolation under prs_kernel, threads on both cores. Each EL0 thread reads
 * and writes its stack, its private partition and (for domain members) the
 * domain partition it shares with a thread on the other core: all must
 * succeed and read back. Then it probes, in a fixed order, memory it must
 * not reach -- another thread's partition, kernel .bss, its own stack guard,
 * the domain page when it is not a member -- and tries to execute its own
 * (XN) partition and kernel text. The abort hook records (thread, address,
 * kind) and resumes it; main() compares every thread's log with the
 * expected list exactly (order, count, address, kind) and checks that no
 * refused write landed.
 * Catches: a set that maps too much (a probe that does not fault), too
 * little (a legal access that faults), the wrong thread's set after a switch
 * (the cross-thread probes are done while the neighbour runs on the same or
 * the other core, with ticks switching between them), a guard hole lost in
 * the build, XN lost on data, the hook resuming at the wrong place (a
 * repeated or missing entry), faults attributed to the wrong thread.
 */
#include "kernel_test.h"

#define NT 4u
#define MAGIC 0x5a5a0000u
#define OFF_PROBE 0x200u /* word in a partition the neighbours probe */
#define OFF_EXEC 0x300u  /* where a thread tries to execute its own partition */
#define ROUNDS 200u      /* legal accesses repeated across many ticks */

struct iso_param {
	uint32_t id;
	uintptr_t own, other, domain; /* domain: 0 if none */
	int member;                   /* domain member (else the probe faults) */
	uintptr_t kdata, ktext, guard_lo, guard_hi;
	uint32_t ok; /* written by the thread: legal accesses that read back */
};

static volatile uint32_t kernel_word = 0x12345678u; /* .data: EL1 only */

PRS_K_USER static uint32_t legal_round(struct iso_param *p, uint32_t r)
{
	volatile uint32_t stackbuf[16];
	volatile uint32_t *own = (volatile uint32_t *)p->own + 64u;
	uint32_t good = 0;

	for (uint32_t i = 0; i < 16u; i++)
		stackbuf[i] = p->id * 1000u + r + i;
	for (uint32_t i = 0; i < 16u; i++)
		good += stackbuf[i] == p->id * 1000u + r + i;
	for (uint32_t i = 0; i < 16u; i++)
		own[i] = r ^ i;
	for (uint32_t i = 0; i < 16u; i++)
		good += own[i] == (r ^ i);
	if (p->member) {
		volatile uint32_t *d = (volatile uint32_t *)p->domain + 16u * p->id;

		d[0] = r;
		good += d[0] == r;
	}
	return good == 32u + (p->member ? 1u : 0u);
}

PRS_K_USER static void iso_thread(void *arg)
{
	struct iso_param *p = arg;
	uint32_t ok = 0;

	for (uint32_t r = 0; r < ROUNDS; r++) {
		ok += legal_round(p, r);
		if ((r & 15u) == 0)
			prs_k_yield();
	}
	p->ok = ok;
	prs_k_record(prs_k_faults_sys()); /* 0: nothing legal faulted */
	(void)prs_k_peek(p->other + OFF_PROBE, 0);
	prs_k_poke(p->other + OFF_PROBE, 0xbad0u + p->id);
	(void)prs_k_peek(p->kdata, 0);
	prs_k_poke(p->kdata, 0xbad1u);
	(void)prs_k_peek(p->guard_hi - 4u, 0);
	prs_k_poke(p->guard_lo, 0xbad2u);
	prs_k_call(p->own + OFF_EXEC);
	prs_k_call(p->ktext);
	if (!p->member) {
		(void)prs_k_peek(p->domain, 0);
		prs_k_poke(p->domain, 0xbad3u);
	}
	prs_k_record(prs_k_faults_sys());
	prs_k_exit(0);
}

struct expect {
	uint32_t addr;
	uint8_t kind;
};

static unsigned expected(const struct iso_param *p, struct expect *e)
{
	unsigned n = 0;

	e[n++] = (struct expect){ (uint32_t)(p->other + OFF_PROBE), PRS_K_FAULT_READ };
	e[n++] = (struct expect){ (uint32_t)(p->other + OFF_PROBE), PRS_K_FAULT_WRITE };
	e[n++] = (struct expect){ (uint32_t)p->kdata, PRS_K_FAULT_READ };
	e[n++] = (struct expect){ (uint32_t)p->kdata, PRS_K_FAULT_WRITE };
	e[n++] = (struct expect){ (uint32_t)(p->guard_hi - 4u), PRS_K_FAULT_READ };
	e[n++] = (struct expect){ (uint32_t)p->guard_lo, PRS_K_FAULT_WRITE };
	e[n++] = (struct expect){ (uint32_t)(p->own + OFF_EXEC), PRS_K_FAULT_EXEC };
	e[n++] = (struct expect){ (uint32_t)p->ktext, PRS_K_FAULT_EXEC };
	if (!p->member) {
		e[n++] = (struct expect){ (uint32_t)p->domain, PRS_K_FAULT_READ };
		e[n++] = (struct expect){ (uint32_t)p->domain, PRS_K_FAULT_WRITE };
	}
	return n;
}

static void check_thread(const struct prs_k_thread *t, const struct iso_param *p)
{
	struct expect e[16];
	unsigned n = expected(p, e);

	rt_printf("kernel_isolation: thread %s (cpu%u): %lu faults, %lu switches in\n", t->name,
		  t->cpu, (unsigned long)t->nfaults, (unsigned long)t->switches_in);
	KT_CHECK_EQ(t->exit_code, 0);
	KT_CHECK_EQ(p->ok, ROUNDS);
	KT_CHECK_EQ(t->nrecords, 2);
	KT_CHECK_EQ(t->records[0], 0);
	KT_CHECK_EQ(t->records[1], n);
	KT_CHECK_EQ(t->nfaults, n);
	for (unsigned i = 0; i < n && i < t->nfaults; i++) {
		const struct prs_k_fault *f = &t->faults[i];

		if (f->addr != e[i].addr || f->kind != e[i].kind) {
			rt_printf("FAIL thread %s fault %u: %s 0x%08lx (pc 0x%08lx), expected "
				  "%s 0x%08lx\n", t->name, i, kt_fault_name(f->kind),
				  (unsigned long)f->addr, (unsigned long)f->pc,
				  kt_fault_name(e[i].kind), (unsigned long)e[i].addr);
			kt_failures++;
		}
	}
}

int main(void)
{
	static const char *const names[NT] = { "A0", "A1", "B0", "B1" };
	static struct prs_k_domain dom;
	struct iso_param *par[NT];
	struct prs_k_thread *t[NT];
	uintptr_t own[NT], dpage;
	struct prs_range shared;
	uint64_t t0;

	KT_CHECK_EQ(prs_k_init(NULL), PRS_OK);
	KT_CHECK_EQ(rt_ncpus(), 2);
	dpage = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	for (unsigned i = 0; i < NT; i++)
		own[i] = (uintptr_t)prs_k_pages(PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_domain_init(&dom), PRS_OK);
	shared = kt_rw_range((void *)dpage, PRS_K_PAGE);
	KT_CHECK_EQ(prs_k_domain_add(&dom, &shared), PRS_OK);
	if (kt_failures)
		return 1;
	for (unsigned i = 0; i < NT; i++) {
		struct prs_range part = kt_rw_range((void *)own[i], PRS_K_PAGE);
		int member = (i % 2u) == 0; /* A0 and B0 share the domain, across cores */

		*(volatile uint32_t *)(void *)(own[i] + OFF_PROBE) = MAGIC + i;
		par[i] = (struct iso_param *)(void *)own[i]; /* the thread reads it at EL0 */
		*par[i] = (struct iso_param){
			.id = i, .own = own[i], .other = own[(i + 1u) % NT],
			.domain = dpage, .member = member,
			.kdata = (uintptr_t)&kernel_word, .ktext = (uintptr_t)main,
		};
		KT_CHECK_EQ(prs_k_thread_create(&(struct prs_k_thread_desc){
			.name = names[i], .entry = iso_thread, .arg = par[i], .cpu = i / 2u,
			.domain = member ? &dom : NULL, .parts = &part, .nparts = 1 }, &t[i]),
			PRS_OK);
		if (kt_failures)
			return 1;
		par[i]->guard_lo = t[i]->guard_lo;
		par[i]->guard_hi = t[i]->stack_lo;
	}
	t0 = rt_cntpct();
	KT_CHECK_EQ(prs_k_run(), 0);
	rt_printf("kernel_isolation: ran %lu ms\n", (unsigned long)kt_ms_since(t0));
	for (unsigned i = 0; i < NT; i++)
		check_thread(t[i], par[i]);
	/* No refused write landed. */
	KT_CHECK_EQ(kernel_word, 0x12345678u);
	for (unsigned i = 0; i < NT; i++)
		KT_CHECK_EQ(*(volatile uint32_t *)(void *)(own[i] + OFF_PROBE), MAGIC + i);
	prs_k_print_stats("kernel_isolation");
	rt_printf("kernel_isolation: %s\n", kt_failures ? "FAIL" : "ok");
	return kt_failures ? 1 : 0;
}
