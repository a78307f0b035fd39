/* SPDX-License-Identifier: MIT */
/* liburcu, QSBR flavor, inline (LGPL) fast paths. */
#define _LGPL_SOURCE
#include <urcu-qsbr.h> /* defines URCU_API_MAP: rcu_* name the qsbr flavor */
#include <urcu/pointer.h>

#define URCU_QSBR 1
#include "urcu_body.h"

const struct bench_impl bench_impl_qsbr = {
	.name = "urcu-qsbr",
	.setup = urcu_setup,
	.teardown = urcu_teardown,
	.reader_begin = urcu_reader_begin,
	.reader_end = urcu_reader_end,
	.writer_begin = urcu_writer_nop,
	.writer_end = urcu_writer_nop,
	.read = urcu_read,
	.collect = NULL,
	.publish = urcu_publish,
	.note = NULL,
};
