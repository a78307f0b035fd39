/* SPDX-License-Identifier: MIT */
/*
 * Deliberately bad "switch paths" that check_switch_asm.py must reject
 * (ctest: sync.asm_rejects_*): proof that the disassembly check can fail.
 * Built for r52 only, never linked into anything.
 */
#include <stdatomic.h>
#include <stdint.h>

void bad_exclusive(_Atomic uint32_t *flag);
void bad_wait_loop(_Atomic uint32_t *flag);
void bad_jump_table(volatile uint32_t *out, unsigned n);
void bad_calls_unknown(void);
void prs_unknown_elsewhere(void);

/* A CAS-style flag take: LDREX/STREX (Zephyr's "flushing" flag). */
void bad_exclusive(_Atomic uint32_t *flag)
{
	(void)atomic_fetch_add_explicit(flag, 1u, memory_order_acq_rel);
}

/* Waiting for another CPU: a loop. */
void bad_wait_loop(_Atomic uint32_t *flag)
{
	while (atomic_load_explicit(flag, memory_order_acquire) != 0)
		;
}

/* A dense switch on a run-time slot number: a jump table. */
void bad_jump_table(volatile uint32_t *out, unsigned n)
{
	switch (n) {
	case 0: out[3] = 1; break;
	case 1: out[7] = 2; break;
	case 2: out[1] = 3; break;
	case 3: out[9] = 4; break;
	case 4: out[2] = 5; break;
	case 5: out[6] = 6; break;
	case 6: out[0] = 7; break;
	default: out[5] = 8; break;
	}
}

/* A call the check cannot follow. */
void bad_calls_unknown(void)
{
	prs_unknown_elsewhere();
	prs_unknown_elsewhere();
}

#if defined(__aarch64__)
/*
 * PRSELR_EL1 bank discipline (r82, --prselr-banks): regions 16..31 through
 * PRBARn_EL1/PRLARn_EL1 need one "PRSELR = 16; ISB" per phase and one
 * "PRSELR = 0" before the ISB that ends it.
 */
void bad_indirect(void (*fn)(void));
void bad_prselr_twice(uint64_t v);
void bad_prselr_no_isb(uint64_t v);
void bad_prselr_left(uint64_t v);

#define A64_PRSELR(x) __asm__ volatile("msr S3_0_C6_C2_1, %0" : : "r"((uint64_t)(x)) : "memory")
#define A64_ISB() __asm__ volatile("isb" : : : "memory")
#define A64_PRBAR1(x) __asm__ volatile("msr S3_0_C6_C8_4, %0" : : "r"(x) : "memory")

/* A call through a pointer (AArch64 GCC keeps small switches as compare trees). */
void bad_indirect(void (*fn)(void))
{
	fn();
	fn();
}

/* The bank selected again in the same phase: a wasted write + ISB. */
void bad_prselr_twice(uint64_t v)
{
	A64_PRSELR(16);
	A64_ISB();
	A64_PRBAR1(v);
	A64_PRSELR(16);
	A64_ISB();
	A64_PRBAR1(v + 64u);
	A64_PRSELR(0);
	A64_ISB();
}

/* The bank selected without the ISB the direct registers need. */
void bad_prselr_no_isb(uint64_t v)
{
	A64_PRSELR(16);
	A64_PRBAR1(v);
	A64_PRSELR(0);
	A64_ISB();
}

/* The phase ends with the bank still selected. */
void bad_prselr_left(uint64_t v)
{
	A64_PRSELR(16);
	A64_ISB();
	A64_PRBAR1(v);
	A64_ISB();
	A64_PRSELR(0);
}
#endif
