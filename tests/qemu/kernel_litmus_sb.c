/* SPDX-License-Identifier: MIT */
/*
 * Store-buffer litmus test of QEMU itself (not a ctest: the outcome depends
 * on the host). Each core stores its flag with a store-release (STL) and
 * then loads the other's flag with a load-acquire (LDA). Armv8 orders a
 * store-release before a later load-acquire (RCsc), so "both loads saw the
 * old value" is forbidden; prsched's switch path relies on exactly that
 * (announce, then re-read the word, no DMB in between). QEMU's
 * multi-threaded TCG on an x86 host shows it anyway: run
 *
 *   cmake/qemu-run.sh --timeout 60 <build>/tests/qemu/kernel_litmus_sb.elf
 *
 * (seen: 0.5% to 9% of 200000 rounds). With -DKT_LITMUS_DMB (a DMB between the
 * two) or under --icount the count is 0. Why qemu_kernel_republish runs
 * under -icount and qemu_kernel_republish_smp uses the fenced library.
 */
#include <stdatomic.h>

#include "rt/rt.h"

#define ROUNDS 200000u

static _Atomic uint32_t x, y, go, done1;
static uint32_t r1_old[ROUNDS / 32u + 1u];

static void fence(void)
{
#ifdef KT_LITMUS_DMB
	__asm__ volatile("dmb ish" : : : "memory");
#endif
}

static void core1(void *arg)
{
	(void)arg;
	for (uint32_t i = 1; i <= ROUNDS; i++) {
		/* Acquire: start of round i (pairs with core 0's release). */
		while (atomic_load_explicit(&go, memory_order_acquire) != i)
			__asm__ volatile("yield");
		atomic_store_explicit(&y, i, memory_order_seq_cst); /* STL */
		fence();
		if (atomic_load_explicit(&x, memory_order_seq_cst) < i) /* LDA */
			r1_old[i / 32u] |= 1u << (i % 32u);
		/* Release: the result above before core 0 reads it. */
		atomic_store_explicit(&done1, i, memory_order_release);
	}
}

int main(void)
{
	uint32_t both = 0;

	if (rt_start_secondary(core1, NULL) != 0)
		return 1;
	for (uint32_t i = 1; i <= ROUNDS; i++) {
		uint32_t r0_old;

		/* Release: core 1 may start round i. */
		atomic_store_explicit(&go, i, memory_order_release);
		atomic_store_explicit(&x, i, memory_order_seq_cst); /* STL */
		fence();
		r0_old = atomic_load_explicit(&y, memory_order_seq_cst) < i; /* LDA */
		/* Acquire: core 1's result for round i. */
		while (atomic_load_explicit(&done1, memory_order_acquire) != i)
			__asm__ volatile("yield");
		both += r0_old && ((r1_old[i / 32u] >> (i % 32u)) & 1u);
	}
	rt_printf("kernel_litmus_sb: STL;%sLDA on both cores: %lu of %lu rounds saw both old "
		  "values (forbidden by Armv8)\n",
#ifdef KT_LITMUS_DMB
		  " DMB; ",
#else
		  " ",
#endif
		  (unsigned long)both, (unsigned long)ROUNDS);
	return 0;
}
