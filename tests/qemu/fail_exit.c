/* SPDX-License-Identifier: MIT */
/* Negative control: a guest that exits 42 must fail its qemu-run.sh run. */
#include "rt/rt.h"

int main(void)
{
	rt_puts("fail_exit: returning 42 on purpose");
	return 42;
}
