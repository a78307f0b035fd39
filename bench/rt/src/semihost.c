/* SPDX-License-Identifier: MIT */
/* Semihosting (A32 `svc 0x123456`): QEMU serves it before any SVC vector. */
#include "rt/rt.h"

#define RT_SYS_EXIT_EXTENDED 0x20u
#define RT_ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t rt_semihost(uint32_t op, const void *arg)
{
	register uint32_t r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void rt_exit(int code)
{
	uint32_t block[2] = { RT_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code };

	(void)rt_semihost(RT_SYS_EXIT_EXTENDED, block);
	for (;;) /* semihosting off: nothing else can stop the machine */
		__asm__ volatile("wfi");
}
