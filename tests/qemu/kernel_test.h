/* SPDX-License-Identifier: MIT */
/* Helpers shared by the prs_kernel QEMU tests (kernel_*.c). */
#ifndef PRS_KERNEL_TEST_H
#define PRS_KERNEL_TEST_H

#include "prs_kernel/kernel.h"
#include "prs_kernel/user.h"
#include "prsched/error.h"
#include "prsched/region.h"
#include "rt/rt.h"

static int kt_failures;

#define KT_CHECK(c)                                                            \
	do {                                                                   \
		if (!(c)) {                                                    \
			rt_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); \
			kt_failures++;                                         \
		}                                                              \
	} while (0)

#define KT_CHECK_EQ(a, b)                                                         \
	do {                                                                      \
		unsigned long kt_a = (unsigned long)(a), kt_b = (unsigned long)(b); \
		if (kt_a != kt_b) {                                               \
			rt_printf("FAIL %s:%d: %s == %s: 0x%lx != 0x%lx\n", __FILE__, \
				  __LINE__, #a, #b, kt_a, kt_b);                  \
			kt_failures++;                                            \
		}                                                                 \
	} while (0)

/* EL0 read-write data, shareable between the cores (no exec). */
#define KT_PERM_RW (PRS_EL1_R | PRS_EL1_W | PRS_EL0_R | PRS_EL0_W)

static inline struct prs_range kt_rw_range(const void *base, uint32_t size)
{
	return (struct prs_range){ .base = (uintptr_t)base, .size = size, .perm = KT_PERM_RW,
				   .memtype = RT_ATTR_NORMAL_WB, .share = PRS_SH_INNER };
}

static inline uint32_t kt_ms_since(uint64_t t0)
{
	return (uint32_t)((rt_cntpct() - t0) * 1000u / rt_cntfrq());
}

static inline const char *kt_fault_name(unsigned kind)
{
	switch (kind) {
	case PRS_K_FAULT_READ:
		return "read";
	case PRS_K_FAULT_WRITE:
		return "write";
	case PRS_K_FAULT_EXEC:
		return "exec";
	case PRS_K_FAULT_UNDEF:
		return "undef";
	default:
		return "?";
	}
}

#endif
