/* SPDX-License-Identifier: MIT */
/* Negative control: a guest that never exits must fail at the timeout. */
#include "rt/rt.h"

void secondary_main(void)
{
	for (;;)
		__asm__ volatile("wfi"); /* idle without spinning the host */
}

int main(void)
{
	rt_puts("fail_hang: hanging on purpose");
	for (;;)
		__asm__ volatile("wfi"); /* IRQs masked, none enabled: forever */
}
