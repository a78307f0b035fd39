/* SPDX-License-Identifier: MIT */
/* base_freertos.c again, with counting MPU accessors (mpu_a32.h). */
#define BENCH_COUNT 1
#include "base_freertos.c"
