/* SPDX-License-Identifier: MIT */
/*
 * The target side of a writer -> target handoff, shared by kernel_republish
 * and kernel_domains: the writer W takes page X away from the target T and
 * gives it back, publishing after each completed call an odd (taken away)
 * or even (given back) sequence number; T touches X once per state and
 * acknowledges. While X is away the access must fault (an access that
 * does not is an escape); while it is back it must succeed and see the
 * value T stored in the previous such state. T alternates, every other
 * round, spinning (the reload IPI must take the new set) and yielding to
 * the other threads of its core (the switch must).
 */
#ifndef PRS_KERNEL_HANDOFF_H
#define PRS_KERNEL_HANDOFF_H

#include <stdatomic.h>

#include "kernel_test.h"

/* W, after each completed call: hand state seq to T, wait until T has tested it. */
PRS_K_USER static void kt_handoff(_Atomic uint32_t *cmd, _Atomic uint32_t *ack, uint32_t seq)
{
	/* Release: the call completed (its tickets waited) before T reads seq. */
	atomic_store_explicit(cmd, seq, memory_order_release);
	/* Acquire: T's test of this state is over before the next call. */
	while (atomic_load_explicit(ack, memory_order_acquire) != seq)
		prs_k_relax();
}

/* Records escapes, unexpected faults, data errors; then exits. */
PRS_K_USER static void kt_target_loop(_Atomic uint32_t *cmd, _Atomic uint32_t *ack,
				      uintptr_t x_addr, uint32_t rounds)
{
	volatile uint32_t *x = (volatile uint32_t *)x_addr;
	uint32_t escapes = 0, unexpected = 0, bad_data = 0, last = 0, stored = 0;

	while (last != 2u * rounds) {
		uint32_t seq, f0, f1, v;
		int spin = (last / 2u) % 2u == 0; /* alternate rounds: spin / yield */

		/* Acquire: pairs with W's release; the call it names has returned. */
		while ((seq = atomic_load_explicit(cmd, memory_order_acquire)) == last) {
			if (!spin)
				prs_k_yield();
			prs_k_relax();
		}
		f0 = prs_k_faults_sys();
		v = prs_k_peek((uintptr_t)x, 0xdeadbeefu);
		if (seq % 2u == 0) {
			prs_k_poke((uintptr_t)x, seq);
			bad_data += v != stored;
			stored = seq;
		}
		f1 = prs_k_faults_sys();
		if (seq % 2u)
			escapes += f1 != f0 + 1u;
		else
			unexpected += f1 != f0;
		last = seq;
		/* Release: the access above is done before W changes X's mapping again. */
		atomic_store_explicit(ack, seq, memory_order_release);
	}
	prs_k_record(escapes);
	prs_k_record(unexpected);
	prs_k_record(bad_data);
	prs_k_exit(0);
}

#endif
