/* SPDX-License-Identifier: MIT */
/*
 * Negative control for the EL2 trap vectors: an HVC from EL1 traps to Hyp,
 * which must report HSR/ELR_hyp and exit RT_EXIT_EL2 (0xd7).
 */
#include "rt/rt.h"

int main(void)
{
	rt_puts("fail_el2: hvc from EL1 on purpose");
	__asm__ volatile("hvc #0" : : : "memory");
	rt_puts("fail_el2: hvc returned");
	return 0;
}
