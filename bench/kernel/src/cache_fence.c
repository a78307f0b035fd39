/* SPDX-License-Identifier: MIT */
/*
 * prsched's cache-maintenance hooks for prs_kernel_fenced (see
 * CMakeLists.txt): no maintenance is needed -- the state lives in the
 * runtime's Inner Shareable RW region -- only the DSB the hooks end with.
 * The library calls them right after storing a word another CPU reads and
 * right before loading one another CPU wrote, so each store is ordered
 * before the next load by a full barrier, also on QEMU MTTCG.
 */
#include "prsched/cache.h"

void prs_cache_clean(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	__asm__ volatile("dsb sy" : : : "memory");
}

void prs_cache_invalidate(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	__asm__ volatile("dsb sy" : : : "memory");
}
