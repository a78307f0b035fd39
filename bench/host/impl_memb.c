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

const struct bench_impl bench_impl_memb = {
	.name = "urcu-memb",
	.setup = urcu_setup,
	.teardown = urcu_teardown,
	.reader_begin = urcu_reader_begin,
	.reader_end = urcu_reader_end,
	.writer_begin = urcu_writer_nop,
	.writer_end = urcu_writer_nop,
	.read = urcu_read,
	.collect = NULL,
	.publish = urcu_publish,
	.note = memb_note,
};
