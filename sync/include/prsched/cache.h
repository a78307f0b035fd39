/* SPDX-License-Identifier: MIT */
/*
 * Cache-maintenance hooks for kernels that keep the publication state
 * (handles, struct prs_cpu) in cacheable, non-shareable memory. Cortex-R52
 * has no coherency between cores, so such a kernel must build the library
 * with -DPRS_CACHE_MAINT=1 and provide both functions (clean / invalidate by
 * address to the point of coherency, each ending with a DSB). The library
 * cleans what it stored for other CPUs right after storing it, and
 * invalidates what other CPUs stored right before loading it. Without
 * PRS_CACHE_MAINT (the default, and the recommended set-up: put that state in
 * Shareable or Normal Non-cacheable memory) the hooks compile to nothing and
 * the switch path calls no function.
 */
#ifndef PRSCHED_CACHE_H
#define PRSCHED_CACHE_H

#include <stddef.h>

#ifndef PRS_CACHE_MAINT
#define PRS_CACHE_MAINT 0
#endif

#if PRS_CACHE_MAINT
void prs_cache_clean(const volatile void *p, size_t n);
void prs_cache_invalidate(const volatile void *p, size_t n);
#define PRS_CACHE_CLEAN(p, n) prs_cache_clean((p), (n))
#define PRS_CACHE_INVAL(p, n) prs_cache_invalidate((p), (n))
#else
#define PRS_CACHE_CLEAN(p, n) ((void)0)
#define PRS_CACHE_INVAL(p, n) ((void)0)
#endif

#endif
