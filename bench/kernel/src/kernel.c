/* SPDX-License-Identifier: MIT */
/*
 * Kernel set-up: prsched's system, CPUs and layout, the page allocator,
 * memory domains, thread creation, and the run entry point.
 */
#include <stddef.h>

#include "gic.h"
#include "internal.h"
#include "prsched/error.h"

/* Bounds of the user section (prs_user.ld, 4 KiB aligned). */
extern char __prs_user_start[], __prs_user_end[];

struct prs_k_kernel prs_k;
/*
 * The version pool every handle publishes into: one layout class, sets of
 * up to the largest capacity a layout may have (prs_k_config.capacity) less
 * the statics, and the bound of prsched's Claim 2 (handles + CPUs + 1). In
 * .bss, like the handles and struct prs_cpu: the runtime's Inner Shareable
 * RW static region (the placement check agrees).
 */
static PRS_POOL_DEFINE(prs_k_pool, PRS_K_MAX_THREADS + RT_MAX_CPUS + 1u, 1u,
		       PRS_MAX_SET_REGIONS - RT_MPU_NSTATIC);
struct prs_k_cpu prs_k_cpus[RT_MAX_CPUS];
struct prs_k_thread prs_k_threads[PRS_K_MAX_THREADS];

uintptr_t prs_k_user_start(void)
{
	return (uintptr_t)__prs_user_start;
}

uintptr_t prs_k_user_end(void)
{
	return (uintptr_t)__prs_user_end;
}

static uintptr_t page_up(uintptr_t a)
{
	return (a + PRS_K_PAGE - 1u) & ~(uintptr_t)(PRS_K_PAGE - 1u);
}

/* The runtime's static map (rt_mpu_init, every core) as prsched ranges. */
static int static_ranges(struct prs_range *statics, unsigned nstatic)
{
	for (unsigned s = 0; s < nstatic; s++) {
		struct rt_mpu_region r;
		struct prs_region pr;
		int err;

		if (rt_mpu_static_region(s, &r) != 0)
			return PRS_E_ARG;
		err = prs_region_decode(PRS_ARCH_AARCH32, r.prbar, r.prlar, &pr);
		if (err != PRS_OK)
			return err;
		statics[s] = (struct prs_range){ .base = pr.base, .size = pr.limit - pr.base + 1u,
						 .perm = pr.perm, .memtype = pr.memtype,
						 .share = pr.share, .opts = pr.opts };
	}
	return PRS_OK;
}

/*
 * prs_cpu_init's precondition, read back from this core's MPU: the static
 * slots hold exactly the layout's image (what the runtime loaded encodes
 * the same way prsched would) and every other slot is disabled.
 */
int prs_k_check_mpu(void)
{
	struct prs_set img;
	int err = prs_layout_image(&prs_k.layout, &img);

	for (unsigned s = 0; err == PRS_OK && s < img.nslots; s++) {
		uint32_t bar, lar;

		if (rt_mpu_read(s, &bar, &lar) != 0)
			err = PRS_E_ARG;
		else if (s < img.nstatic ? bar != img.prbar[s] || lar != img.prlar[s]
					 : (lar & RT_PRLAR_EN) != 0u)
			err = PRS_E_STATIC;
	}
	return err;
}

/* Every CPU's base layer: the thread code, EL0 read-only and executable. */
static int base_layer(void)
{
	struct prs_range code = {
		.base = prs_k_user_start(),
		.size = prs_k_user_end() - prs_k_user_start(),
		.perm = PRS_EL1_R | PRS_EL0_R | PRS_EXEC,
		.memtype = RT_ATTR_NORMAL_WB,
		.share = PRS_SH_NONE, /* read-only: no coherency needed */
	};
	int err = prs_rangeset_init(&prs_k.base, prs_k.base_e, 1, PRS_ARCH_AARCH32);

	if (err == PRS_OK && code.size)
		err = prs_rangeset_add(&prs_k.base, &code);
	return err;
}

int prs_k_init(const struct prs_k_config *cfg)
{
	struct prs_system_config sc = {
		.ncpus = rt_ncpus(),
		.reload = prs_k_reload_request,
		.ctx = NULL,
		.flags = PRS_SYS_CHECK_PLACEMENT,
		.mair = RT_MAIR0_VALUE | ((uint64_t)RT_MAIR1_VALUE << 32),
		.pool = prs_k_pool,
		.pool_bytes = sizeof(prs_k_pool),
		.cpu_id = prs_k_cpu_index, /* the writer lock's key: no exclusives */
		.relax = prs_k_wait_relax, /* waits serve this core's reloads */
	};
	struct prs_range statics[PRS_MAX_REGIONS];
	unsigned nslots = rt_mpu_nregions(), nstatic = rt_mpu_nstatic();
	uint32_t tick_us = cfg && cfg->tick_us ? cfg->tick_us : 1000u;
	int err = PRS_OK;

	prs_k.ncpus = sc.ncpus;
	prs_k.tick = (uint32_t)(((uint64_t)rt_cntfrq() * tick_us) / 1000000u);
	prs_k.next_page = page_up((uintptr_t)__rt_free_start);
	prs_k.nthreads = 0;
	atomic_init(&prs_k.live, 0u);
	prs_k.ndomains = 0;
	if (nslots > PRS_MAX_REGIONS || nstatic > nslots)
		err = PRS_E_ARG;
	if (err == PRS_OK)
		err = static_ranges(statics, nstatic);
	if (err == PRS_OK)
		err = base_layer();
	/* One layout object for every core: they form one class, one set per version. */
	if (err == PRS_OK)
		err = prs_layout_init(&prs_k.layout, PRS_ARCH_AARCH32, nslots, statics, nstatic,
				      &prs_k.base);
	/* Oversized sets: before prs_cpu_init, which sizes the class by it. */
	if (err == PRS_OK && cfg && cfg->capacity)
		err = prs_layout_set_capacity(&prs_k.layout, cfg->capacity);
	if (err == PRS_OK)
		err = prs_k_check_mpu(); /* core 0; the others check in prs_k_cpu_loop */
	if (err == PRS_OK)
		err = prs_system_init(&prs_k.sys, &sc);
	for (unsigned c = 0; err == PRS_OK && c < sc.ncpus; c++) {
		atomic_init(&prs_k_cpus[c].reload_pending, 0u);
		prs_k_cpus[c].cur = NULL;
		prs_k_cpus[c].nq = 0;
		prs_k_cpus[c].rr = 0;
		err = prs_cpu_init(&prs_k.sys, &prs_k_cpus[c].pc, c, &prs_k.layout);
	}
	if (err != PRS_OK)
		return err;
	prs_k_fault_link();
	prs_k_gic_dist_init();
	prs_k_gic_cpu_init(0); /* core 0 may send reload SGIs before prs_k_run */
	return PRS_OK;
}

void *prs_k_pages(uint32_t size)
{
	uintptr_t p = prs_k.next_page, n = page_up(size);

	if (!size || n > (uintptr_t)__rt_ram_end - p)
		return NULL;
	prs_k.next_page = p + n;
	return (void *)p;
}

int prs_k_domain_init(struct prs_k_domain *d)
{
	int err;

	if (!d)
		return PRS_E_NULL;
	if (prs_k.ndomains >= PRS_K_MAX_DOMAINS)
		return PRS_E_FULL;
	err = prs_domain_init(&d->d, &prs_k.sys, d->e, PRS_K_DOMAIN_CAP);
	if (err != PRS_OK)
		return err;
	d->id = prs_k.ndomains;
	prs_k.domains[prs_k.ndomains++] = d;
	return PRS_OK;
}

struct prs_k_domain *prs_k_domain_get(uint32_t id)
{
	return id < prs_k.ndomains ? prs_k.domains[id] : NULL;
}

/*
 * The own layer's first ranges: the private partitions, the stack (EL0 RW,
 * XN, shareable) and the no-access hole below it (a hole in the same layer
 * as the partitions: one overlapping the guard is refused, PRS_E_CONFLICT).
 */
static int own_ranges(struct prs_k_thread *t, const struct prs_k_thread_desc *d,
		      struct prs_range *r)
{
	uint32_t ss = (uint32_t)page_up(d->stack_size ? d->stack_size : PRS_K_PAGE);
	uint32_t gs = (uint32_t)page_up(d->guard_size ? d->guard_size : PRS_K_PAGE);
	uint8_t *mem = prs_k_pages(gs + ss);

	if (!mem)
		return -1;
	t->guard_lo = (uintptr_t)mem;
	t->stack_lo = t->guard_lo + gs;
	t->stack_hi = t->stack_lo + ss;
	for (unsigned i = 0; i < d->nparts; i++)
		r[i] = d->parts[i];
	r[d->nparts] = (struct prs_range){ .base = t->guard_lo, .size = gs, .perm = 0,
					   .memtype = RT_ATTR_NORMAL_WB, .share = PRS_SH_INNER };
	r[d->nparts + 1u] = (struct prs_range){
		.base = t->stack_lo, .size = ss, .perm = PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W,
		.memtype = RT_ATTR_NORMAL_WB, .share = PRS_SH_INNER };
	return (int)d->nparts + 2;
}

static void initial_frame(struct prs_k_thread *t, const struct prs_k_thread_desc *d)
{
	uintptr_t entry = (uintptr_t)d->entry;

	for (unsigned i = 0; i < 13u; i++)
		t->frame.r[i] = 0;
	t->frame.r[0] = (uint32_t)(uintptr_t)d->arg;
	t->frame.usr_sp = (uint32_t)t->stack_hi;
	t->frame.usr_lr = (uint32_t)(uintptr_t)prs_k_user_exit; /* entry returns: exit(0) */
	t->frame.vector = 0;
	t->frame.pc = (uint32_t)(entry & ~(uintptr_t)1u);
	/* User mode, IRQs on; Thumb if the entry is a Thumb address. */
	t->frame.cpsr = RT_MODE_USR | ((entry & 1u) ? RT_CPSR_T : 0u);
}

int prs_k_thread_create(const struct prs_k_thread_desc *d, struct prs_k_thread **out)
{
	struct prs_range r[PRS_K_PRIV_CAP + 2u];
	struct prs_k_thread *t;
	struct prs_k_cpu *kc;
	int err, n;

	if (!d || !d->entry)
		return PRS_E_NULL;
	if (d->cpu >= prs_k.ncpus || prs_k.nthreads >= PRS_K_MAX_THREADS ||
	    d->nparts > PRS_K_PRIV_CAP || (d->nparts && !d->parts))
		return PRS_E_ARG;
	t = &prs_k_threads[prs_k.nthreads];
	t->id = prs_k.nthreads;
	t->cpu = d->cpu;
	t->name = d->name ? d->name : "?";
	t->nfaults = 0;
	t->nrecords = 0;
	t->switches_in = 0;
	t->fault_ins = 0;
	t->exec_fault_ins = 0;
	t->events = 0;
	t->seen = (struct prs_k_counts){ 0, 0, 0, 0 };
	t->seen_word = 0;
	t->exit_code = 0;
	n = own_ranges(t, d, r);
	if (n < 0)
		return PRS_E_FULL;
	/* Before prs_k_run: no core runs t yet, the publishes below wait for nothing. */
	err = prs_thread_init(&t->th, &prs_k.sys, NULL, 0, t->own_e, PRS_K_PRIV_CAP + 2u);
	if (err == PRS_OK)
		err = prs_thread_update(&t->th, r, (unsigned)n, NULL, 0, NULL);
	if (err == PRS_OK && d->domain)
		err = prs_domain_add_thread(&d->domain->d, &t->th, NULL);
	if (err != PRS_OK)
		return err; /* t is not in any run queue: prs_k_thread_create may reuse it */
	initial_frame(t, d);
	atomic_init(&t->state, PRS_K_READY);
	kc = &prs_k_cpus[d->cpu];
	kc->q[kc->nq++] = t;
	prs_k.nthreads++;
	/* Relaxed: the cores see it only after rt_start_cpu's release. */
	atomic_fetch_add_explicit(&prs_k.live, 1u, memory_order_relaxed);
	if (out)
		*out = t;
	return PRS_OK;
}

struct prs_k_thread *prs_k_thread_get(uint32_t id)
{
	return id < prs_k.nthreads ? &prs_k_threads[id] : NULL;
}

uint32_t prs_k_nthreads(void)
{
	return prs_k.nthreads;
}

static void prs_k_secondary(void *arg)
{
	(void)arg;
	prs_k_cpu_loop(rt_cpu_id());
}

int prs_k_run(void)
{
	for (unsigned c = 1; c < prs_k.ncpus; c++)
		if (rt_start_cpu(c, prs_k_secondary, NULL) != 0)
			return -1;
	prs_k_cpu_loop(0);
	for (unsigned c = 1; c < prs_k.ncpus; c++)
		rt_cpu_wait_idle(c);
	return 0;
}

struct prs_system *prs_k_system(void)
{
	return &prs_k.sys;
}

struct prs_cpu *prs_k_prs_cpu(unsigned cpu)
{
	return cpu < prs_k.ncpus ? &prs_k_cpus[cpu].pc : NULL;
}

const struct prs_k_cpu_stats *prs_k_cpu_stats(unsigned cpu)
{
	return cpu < prs_k.ncpus ? &prs_k_cpus[cpu].st : NULL;
}

uint32_t prs_k_word(const struct prs_k_thread *t)
{
	/* Acquire: a caller comparing words also reads what was published with them. */
	return atomic_load_explicit(&t->th.h.word, memory_order_acquire);
}

/* The library's counters: only a PRS_STATS=1 copy keeps them (prs_kernel_stats, _fenced). */
static void print_prs_stats(const char *tag, unsigned c)
{
#if PRS_STATS
	const struct prs_cpu_stats *ps = &prs_k_cpus[c].pc.stats;

	rt_printf("%s: cpu%u: prs_switch %lu fast, %lu slow; prs_reload %lu (%lu copied); "
		  "prs_fault %lu (%lu fault-ins); %lu MPU writes, %lu barriers\n",
		  tag, c, (unsigned long)atomic_load_explicit(&ps->fast, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->slow, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->reloads, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->reload_copies, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->faults, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->fault_ins, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->mpu_writes, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&ps->barriers, memory_order_relaxed));
#else
	(void)tag;
	(void)c;
#endif
}

void prs_k_print_stats(const char *tag)
{
	const struct prs_system *sys = &prs_k.sys;

	for (unsigned c = 0; c < prs_k.ncpus; c++) {
		const struct prs_k_cpu *kc = &prs_k_cpus[c];

		rt_printf("%s: cpu%u: %lu ticks, %lu switches, %lu reload IPIs, %lu syscalls, "
			  "%lu grants, %lu revokes, %lu fault-ins\n",
			  tag, c, (unsigned long)kc->st.ticks, (unsigned long)kc->st.switches,
			  (unsigned long)kc->st.reload_ipis, (unsigned long)kc->st.syscalls,
			  (unsigned long)kc->st.grants, (unsigned long)kc->st.revokes,
			  (unsigned long)kc->st.fault_ins);
		print_prs_stats(tag, c);
	}
	rt_printf("%s: %lu publishes, %lu pin waits, %lu versions in the pool\n", tag,
		  (unsigned long)atomic_load_explicit(&sys->publishes, memory_order_relaxed),
		  (unsigned long)atomic_load_explicit(&sys->pin_waits, memory_order_relaxed),
		  (unsigned long)prs_system_versions(sys));
}
