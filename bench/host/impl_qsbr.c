/* SPDX-License-Identifier: MIT */
/* liburcu, QSBR flavor, inline (LGPL) fast paths. */
#define _LGPL_SOURCE
#include <urcu-qsbr.h> /* defines URCU_API_MAP: rcu_* name the qsbr flavor */
#include <urcu/pointer.h>

#define URCU_QSBR 1
#include "urcu_body.h"

URCU_BENCH_IMPL(bench_impl_qsbr, "urcu-qsbr", NULL);
