/* SPDX-License-Identifier: MIT */
/*
 * Negative control for the default abort path: with no rt_abort_hook, a
 * write to read-only data must be reported and exit RT_EXIT_DABT (0xd3).
 */
#include "rt/rt.h"

/* Plain const: GCC places `const volatile` objects in .data. */
static const uint32_t ro_word = 0x5a5a5a5au;

int main(void)
{
	rt_printf("fail_abort: writing to read-only %p\n", (const void *)&ro_word);
	*(volatile uint32_t *)(uintptr_t)&ro_word = 1u;
	rt_puts("fail_abort: the write did not fault");
	return 0;
}
