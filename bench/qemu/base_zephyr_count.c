/* SPDX-License-Identifier: MIT */
/* base_zephyr.c again, with counting MPU accessors (mpu_a32.h). */
#define BENCH_COUNT 1
#include "base_zephyr.c"
