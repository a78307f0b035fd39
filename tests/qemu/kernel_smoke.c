/* SPDX-License-Identifier: MIT */
/*
 * prs_kernel basics: EL0 threads run on both cores, in User mode, each on
 * the core it was created for, and the timer tick preempts them. On each
 * core two threads spin WITHOUT yielding: each counts its own word in a
 * shared domain page up to TARGET and then waits for its partner's word to
 * get there too, so neither can finish unless the tick switches between
 * them. Catches: no tick / no preemption (hang -> timeout), threads run on
 * the wrong core or not at EL0, a domain page not shared (the partner's
 * count never shows), the exit path (a thread that never exits hangs
 * prs_k_run), faults where none is expected (counted, must be 0).
 */
#include "prs_kernel/kernel.h"
#include "prs_kernel/user.h"
#include "prsched/error.h"
#include "rt/rt.h"

#define TARGET 20000u
#define NT 4u

struct spin_arg {
	volatile uint32_t *mine, *partner;
	uint32_t expect_cpu;
};

static int failures;

#define CHECK(c)                                                                 \
	do {                                                                     \
		if (!(c)) {                                                      \
			rt_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);   \
			failures++;                                              \
		}                                                                \
	} while (0)

PRS_K_USER static void spinner(void *p)
{
	const struct spin_arg *a = p;
	uint32_t mode;

	__asm__ volatile("mrs %0, cpsr" : "=r"(mode));
	prs_k_record(mode & 0x1fu);
	prs_k_record(prs_k_cpu_sys() == a->expect_cpu);
	while (*a->mine < TARGET || *a->partner < TARGET)
		if (*a->mine < TARGET)
			*a->mine = *a->mine + 1u;
	prs_k_record(prs_k_faults_sys());
	prs_k_exit(7);
}

int main(void)
{
	static struct prs_k_domain dom;
	struct prs_k_thread *t[NT];
	uint32_t *shared;
	struct spin_arg *args;
	uint64_t t0;
	int err;

	err = prs_k_init(NULL);
	CHECK(err == PRS_OK);
	shared = prs_k_pages(PRS_K_PAGE);
	CHECK(shared != NULL);
	if (failures)
		return 1;
	for (unsigned i = 0; i < 16u; i++)
		shared[i] = 0;
	/* The argument blocks live in the shared page too: EL0 must read them. */
	args = (struct spin_arg *)(shared + 16);
	CHECK(prs_k_domain_init(&dom) == PRS_OK);
	CHECK(prs_k_domain_add(&dom, &(struct prs_range){
		.base = (uintptr_t)shared, .size = PRS_K_PAGE,
		.perm = PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W,
		.memtype = RT_ATTR_NORMAL_WB, .share = PRS_SH_INNER }) == PRS_OK);
	for (unsigned i = 0; i < NT; i++) {
		unsigned cpu = (i / 2u) % rt_ncpus();

		args[i].mine = &shared[i];
		args[i].partner = &shared[i ^ 1u];
		args[i].expect_cpu = cpu;
		err = prs_k_thread_create(&(struct prs_k_thread_desc){
			.name = "spin", .entry = spinner, .arg = &args[i], .cpu = cpu,
			.domain = &dom }, &t[i]);
		CHECK(err == PRS_OK);
	}
	if (failures)
		return 1;
	t0 = rt_cntpct();
	CHECK(prs_k_run() == 0);
	rt_printf("kernel_smoke: %lu ms\n",
		  (unsigned long)((rt_cntpct() - t0) * 1000u / rt_cntfrq()));
	for (unsigned i = 0; i < NT; i++) {
		CHECK(t[i]->exit_code == 7u);
		CHECK(t[i]->nrecords == 3u);
		CHECK(t[i]->records[0] == RT_MODE_USR);
		CHECK(t[i]->records[1] == 1u);
		CHECK(t[i]->records[2] == 0u);
		CHECK(t[i]->nfaults == 0u);
		CHECK(shared[i] == TARGET);
	}
	/* The first of each pair to run waited for its partner: it was preempted. */
	for (unsigned i = 0; i < NT; i += 2u)
		CHECK(t[i]->switches_in >= 2u || t[i + 1u]->switches_in >= 2u);
	for (unsigned c = 0; c < rt_ncpus(); c++)
		CHECK(prs_k_cpu_stats(c)->ticks > 0u);
	prs_k_print_stats("kernel_smoke");
	rt_printf("kernel_smoke: %s\n", failures ? "FAIL" : "ok");
	return failures ? 1 : 0;
}
