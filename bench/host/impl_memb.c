/* SPDX-License-Identifier: MIT */
/*
 * liburcu, memb flavor, inline (LGPL) fast paths. Its read side is a plain
 * compiler barrier when sys_membarrier works and an smp_mb otherwise; the
 * note says which one this run got (containers may forbid membarrier).
 */
#define _LGPL_SOURCE
#define URCU_API_MAP /* rcu_* name the memb flavor (what <urcu.h> does) */
#include <urcu/urcu-memb.h>
#include <urcu/pointer.h>

#define URCU_QSBR 0
#include "urcu_body.h"

static const char *memb_note(void)
{
	return urcu_memb_has_sys_membarrier
		       ? "urcu-memb: sys_membarrier available (reader uses a compiler barrier)"
		       : "urcu-memb: NO sys_membarrier (reader falls back to smp_mb)";
}

URCU_BENCH_IMPL(bench_impl_memb, "urcu-memb", memb_note);
