/* SPDX-License-Identifier: MIT */
/*
 * EL1 bring-up and SMP plumbing: check-in, the start mailbox, the barrier.
 * Cross-core words live in the RW region, which is Inner Shareable (see
 * rt/mpu.h) and therefore coherent between the two Cortex-R52 cores.
 */
#include <stdatomic.h>

#include "rt/rt.h"

void rt_el1_init(unsigned cpu);
void rt_cpu_main(unsigned cpu) __attribute__((noreturn));

#define RT_GICR_TYPER 0x8u
#define RT_GICR_TYPER_LAST (1u << 4)
#define RT_BOOT_TIMEOUT_S 2u

enum { RT_MBOX_IDLE, RT_MBOX_POSTED, RT_MBOX_RUNNING };

struct rt_mailbox {
	void (*fn)(void *);
	void *arg;
	/* IDLE -> POSTED (poster, release: fn/arg) -> RUNNING -> IDLE (core,
	 * release: fn's effects). */
	_Atomic unsigned state;
};

/* Bit per core that reached EL1 with its MPU on (release: its setup). */
static _Atomic unsigned rt_online;
/* Set by core 0 once rt_ncpus_up is final (release: rt_ncpus_up). */
static _Atomic unsigned rt_boot_done;
static unsigned rt_ncpus_up;
static struct rt_mailbox rt_mbox[RT_MAX_CPUS];

/* Barrier: arrivals count up; the last one flips the sense (release). */
static _Atomic unsigned rt_bar_count;
static _Atomic unsigned rt_bar_sense;
static unsigned rt_bar_local[RT_MAX_CPUS];

unsigned rt_cpu_id(void)
{
	return rt_read_mpidr() & 0xffu;
}

unsigned rt_ncpus(void)
{
	return rt_ncpus_up;
}

unsigned rt_current_el(void)
{
	uint32_t mode = rt_read_cpsr() & 0x1fu;

	if (mode == RT_MODE_USR)
		return 0;
	return mode == RT_MODE_HYP ? 2u : 1u;
}

uint64_t rt_cntpct(void)
{
	return rt_read_cntpct();
}

uint32_t rt_cntfrq(void)
{
	return rt_read_cntfrq();
}

void rt_el1_init(unsigned cpu)
{
	(void)cpu;
	rt_mpu_init();
	rt_write_vbar((uint32_t)(uintptr_t)rt_vectors);
	rt_isb();
}

/* Cores QEMU created: one GICv3 redistributor each, the last marked Last. */
static unsigned rt_cpus_present(void)
{
	for (unsigned i = 0; i < RT_MAX_CPUS; i++) {
		uintptr_t rd = RT_GICR_BASE + i * RT_GICR_STRIDE + RT_GICR_TYPER;
		uint32_t typer = *(volatile const uint32_t *)rd;

		if (typer & RT_GICR_TYPER_LAST)
			return i + 1u;
	}
	return RT_MAX_CPUS;
}

static unsigned rt_popcount(unsigned v)
{
	unsigned n = 0;

	for (; v; v &= v - 1u)
		n++;
	return n;
}

static void rt_boot_primary(void)
{
	unsigned want = rt_cpus_present();
	uint64_t t0 = rt_cntpct();
	uint64_t limit = (uint64_t)rt_cntfrq() * RT_BOOT_TIMEOUT_S;

	/* acquire: pairs with each core's check-in. */
	while (rt_popcount(atomic_load_explicit(&rt_online, memory_order_acquire)) <
	       want) {
		/*
		 * WFE, not a bare spin: under -icount QEMU runs the cores round
		 * robin and a spinning core would hold the only thread for its
		 * whole slice. Each check-in does SEV.
		 */
		rt_wfe();
		if (rt_cntpct() - t0 > limit) {
			rt_printf("rt: only cpus 0x%x of %u checked in\n",
				  atomic_load_explicit(&rt_online,
						       memory_order_relaxed),
				  want);
			rt_exit(RT_EXIT_SMP);
		}
	}
	rt_ncpus_up = want;
	/* release: rt_ncpus_up before any secondary reads it. */
	atomic_store_explicit(&rt_boot_done, 1u, memory_order_release);
	rt_sev();
}

void rt_cpu_main(unsigned cpu)
{
	/* release: this core's EL1 setup is done before core 0 counts it. */
	atomic_fetch_or_explicit(&rt_online, 1u << cpu, memory_order_release);
	rt_sev();
	if (cpu == 0) {
		rt_boot_primary();
		rt_exit(main());
	}
	/* acquire: pairs with rt_boot_primary()'s release of rt_ncpus_up. */
	while (!atomic_load_explicit(&rt_boot_done, memory_order_acquire))
		rt_wfe();
	secondary_main();
	for (;;)
		rt_wfe();
}

__attribute__((weak)) void secondary_main(void)
{
	rt_serve();
}

void rt_serve(void)
{
	struct rt_mailbox *mb = &rt_mbox[rt_cpu_id()];

	for (;;) {
		/* acquire: pairs with the poster's release; fn/arg are valid. */
		while (atomic_load_explicit(&mb->state, memory_order_acquire) !=
		       RT_MBOX_POSTED)
			rt_wfe();
		atomic_store_explicit(&mb->state, RT_MBOX_RUNNING,
				      memory_order_relaxed);
		mb->fn(mb->arg);
		/* release: fn's stores before the waiter sees IDLE. */
		atomic_store_explicit(&mb->state, RT_MBOX_IDLE,
				      memory_order_release);
		rt_sev();
	}
}

int rt_start_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct rt_mailbox *mb;

	if (cpu >= rt_ncpus_up || cpu == rt_cpu_id() || !fn)
		return -1;
	mb = &rt_mbox[cpu];
	/* acquire: the previous fn's effects are visible before reuse. */
	if (atomic_load_explicit(&mb->state, memory_order_acquire) !=
	    RT_MBOX_IDLE)
		return -1;
	mb->fn = fn;
	mb->arg = arg;
	/* release: fn/arg before the core sees POSTED. */
	atomic_store_explicit(&mb->state, RT_MBOX_POSTED, memory_order_release);
	rt_sev();
	return 0;
}

int rt_start_secondary(void (*fn)(void *), void *arg)
{
	return rt_start_cpu(1, fn, arg);
}

void rt_cpu_wait_idle(unsigned cpu)
{
	if (cpu >= RT_MAX_CPUS)
		return;
	/* acquire: pairs with rt_serve()'s release after fn returned. */
	while (atomic_load_explicit(&rt_mbox[cpu].state, memory_order_acquire) !=
	       RT_MBOX_IDLE)
		rt_wfe();
}

void rt_barrier_wait(void)
{
	unsigned cpu = rt_cpu_id();
	unsigned sense = rt_bar_local[cpu] ^ 1u;
	unsigned n = rt_ncpus_up ? rt_ncpus_up : 1u;

	rt_bar_local[cpu] = sense;
	/* acq_rel: the last arriver sees every earlier arriver's stores. */
	if (atomic_fetch_add_explicit(&rt_bar_count, 1u, memory_order_acq_rel) ==
	    n - 1u) {
		/* Relaxed: ordered before the sense flip by its release. */
		atomic_store_explicit(&rt_bar_count, 0u, memory_order_relaxed);
		/* release: everyone's pre-barrier stores (gathered above). */
		atomic_store_explicit(&rt_bar_sense, sense, memory_order_release);
		rt_sev();
		return;
	}
	/* acquire: pairs with the last arriver's release of the sense. */
	while (atomic_load_explicit(&rt_bar_sense, memory_order_acquire) != sense)
		rt_wfe();
}
