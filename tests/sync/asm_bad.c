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
