/* SPDX-License-Identifier: MIT */
/*
 * The EL0 side of the harness kernel: how thread code is placed and how it
 * calls the kernel.
 *
 * Thread code runs in User mode and may execute only the user section
 * (`.prs_user`, mapped EL0 RO + executable in every thread's set through the
 * CPU's dynamic base layer); everything else in the image is EL1-only. Mark
 * every function a thread runs with PRS_K_USER and constant data it reads
 * with PRS_K_USER_CONST. Such code must not call anything outside the
 * section (no memcpy/memset, no printf, no libgcc helpers), and may touch
 * only its stack, its partitions and PRS_K_USER_CONST data. The wrappers
 * below are always inlined for that reason.
 */
#ifndef PRS_KERNEL_USER_H
#define PRS_KERNEL_USER_H

#include <stdint.h>

#include "prs_kernel/abi.h"

#define PRS_K_USER __attribute__((section(".prs_user.text"), noinline, used))
#define PRS_K_USER_CONST __attribute__((section(".prs_user.rodata")))
#define PRS_K_INLINE static inline __attribute__((always_inline))

/* `svc #n` with up to four arguments; r0 comes back as the result. */
#define PRS_K_SVC4(n, a0, a1, a2, a3)                                            \
	register uint32_t r0 __asm__("r0") = (a0);                               \
	register uint32_t r1 __asm__("r1") = (a1);                               \
	register uint32_t r2 __asm__("r2") = (a2);                               \
	register uint32_t r3 __asm__("r3") = (a3);                               \
	__asm__ volatile("svc %4" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "i"(n) \
			 : "memory")

PRS_K_INLINE void prs_k_yield(void)
{
	PRS_K_SVC4(PRS_K_SYS_YIELD, 0u, 0u, 0u, 0u);
	(void)r0;
}

PRS_K_INLINE __attribute__((noreturn)) void prs_k_exit(uint32_t code)
{
	PRS_K_SVC4(PRS_K_SYS_EXIT, code, 0u, 0u, 0u);
	(void)r0;
	__builtin_unreachable();
}

PRS_K_INLINE void prs_k_record(uint32_t value)
{
	PRS_K_SVC4(PRS_K_SYS_RECORD, value, 0u, 0u, 0u);
	(void)r0;
}

/* prs error code (PRS_OK = 0) of granting [base, base + size) to thread tid. */
PRS_K_INLINE int prs_k_grant_sys(uint32_t tid, uintptr_t base, uint32_t size, uint32_t attr)
{
	PRS_K_SVC4(PRS_K_SYS_GRANT, tid, (uint32_t)base, size, attr);
	return (int)r0;
}

/* prs error code of revoking exactly [base, base + size) from thread tid. */
PRS_K_INLINE int prs_k_revoke_sys(uint32_t tid, uintptr_t base, uint32_t size)
{
	PRS_K_SVC4(PRS_K_SYS_REVOKE, tid, (uint32_t)base, size, 0u);
	return (int)r0;
}

/* Domain calls (abi.h): prs error codes. */
PRS_K_INLINE int prs_k_dom_add_sys(uint32_t dom, uintptr_t base, uint32_t size, uint32_t attr)
{
	PRS_K_SVC4(PRS_K_SYS_DOM_ADD, dom, (uint32_t)base, size, attr);
	return (int)r0;
}

PRS_K_INLINE int prs_k_dom_remove_sys(uint32_t dom, uintptr_t base, uint32_t size)
{
	PRS_K_SVC4(PRS_K_SYS_DOM_REMOVE, dom, (uint32_t)base, size, 0u);
	return (int)r0;
}

PRS_K_INLINE int prs_k_dom_join_sys(uint32_t dom, uint32_t tid)
{
	PRS_K_SVC4(PRS_K_SYS_DOM_JOIN, dom, tid, 0u, 0u);
	return (int)r0;
}

PRS_K_INLINE int prs_k_dom_leave_sys(uint32_t dom, uint32_t tid)
{
	PRS_K_SVC4(PRS_K_SYS_DOM_LEAVE, dom, tid, 0u, 0u);
	return (int)r0;
}

PRS_K_INLINE uint32_t prs_k_word_sys(uint32_t tid)
{
	PRS_K_SVC4(PRS_K_SYS_WORD, tid, 0u, 0u, 0u);
	return r0;
}

PRS_K_INLINE uint32_t prs_k_faults_sys(void)
{
	PRS_K_SVC4(PRS_K_SYS_FAULTS, 0u, 0u, 0u, 0u);
	return r0;
}

PRS_K_INLINE uint32_t prs_k_self(void)
{
	PRS_K_SVC4(PRS_K_SYS_SELF, 0u, 0u, 0u, 0u);
	return r0;
}

PRS_K_INLINE uint32_t prs_k_cpu_sys(void)
{
	PRS_K_SVC4(PRS_K_SYS_CPU, 0u, 0u, 0u, 0u);
	return r0;
}

/* Dynamic MPU slots the caller's core has free now, read back from PRLARn.EN. */
PRS_K_INLINE uint32_t prs_k_mpu_free_sys(void)
{
	PRS_K_SVC4(PRS_K_SYS_MPU_FREE, 0u, 0u, 0u, 0u);
	return r0;
}

/* The caller's counters since its previous call (abi.h PRS_K_SYS_COUNTS). */
PRS_K_INLINE struct prs_k_counts prs_k_counts_sys(void)
{
	register uint32_t r0 __asm__("r0");
	register uint32_t r1 __asm__("r1");
	register uint32_t r2 __asm__("r2");
	register uint32_t r3 __asm__("r3");

	__asm__ volatile("svc %4" : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
			 : "i"(PRS_K_SYS_COUNTS) : "memory");
	return (struct prs_k_counts){ r0, r1, r2, r3 };
}

/* CNTPCT[31:0], read by the kernel. */
PRS_K_INLINE uint32_t prs_k_time_sys(void)
{
	PRS_K_SVC4(PRS_K_SYS_TIME, 0u, 0u, 0u, 0u);
	return r0;
}

/*
 * Spin-wait hint for EL0 polling loops: a no-op on silicon and under
 * multi-threaded QEMU, a hand-over to the other core under -icount (one
 * host thread runs the cores round robin; a bare spin would keep it).
 */
PRS_K_INLINE void prs_k_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/*
 * Probes: exactly one load, store or call that may fault. On a data abort
 * the kernel skips the instruction (the load leaves `dflt` in place); on a
 * prefetch abort it resumes at lr, i.e. right after the call.
 */
PRS_K_INLINE uint32_t prs_k_peek(uintptr_t addr, uint32_t dflt)
{
	uint32_t v = dflt;

	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	return v;
}

PRS_K_INLINE void prs_k_poke(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

PRS_K_INLINE void prs_k_call(uintptr_t addr)
{
	__asm__ volatile("blx %0" : : "r"(addr)
			 : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
}

#endif
