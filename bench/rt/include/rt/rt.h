/* SPDX-License-Identifier: MIT */
/*
 * prs_rt: bare-metal runtime for QEMU mps3-an536 (two Cortex-R52, AArch32).
 *
 * Boot: both cores enter _start in EL2 (Hyp) with the MPU off. Each takes
 * its stacks (by MPIDR.Aff0), core 0 zeroes .bss and releases core 1, both
 * set HVBAR (EL2 traps report and exit), give EL1 the physical counter, and
 * ERET to EL1 SVC. At EL1 each core loads MAIR, the static MPU map (rt/mpu.h)
 * and VBAR, turns the MPU on, switches to System mode and checks in.
 * Core 0 waits for every core present (GIC redistributor count) and calls
 * main(); main's return value becomes QEMU's exit code. The other cores run
 * secondary_main() (weak; the default serves rt_start_cpu() requests).
 * IRQs stay masked (CPSR.I) until someone calls rt_irq_enable().
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdint.h>

#include "rt/console.h"
#include "rt/exc.h"
#include "rt/mpu.h"
#include "rt/sysreg.h"

#define RT_MAX_CPUS 2u /* mps3-an536 has two cores; stacks are sized for both */

int main(void);
/* Runs on every core but 0 once all cores are up. Default: rt_serve(). */
void secondary_main(void);

/* This core's number (MPIDR.Aff0). */
unsigned rt_cpu_id(void);
/* Cores that booted (1 under -smp 1, 2 under -smp 2); fixed before main(). */
unsigned rt_ncpus(void);
/* Exception level from CPSR.M: 0 (User), 1, 2 (Hyp). */
unsigned rt_current_el(void);

/*
 * Run fn(arg) on `cpu` (not the caller); 0 if posted, -1 if the core is not
 * up, is the caller, or is still busy with an earlier request.
 */
int rt_start_cpu(unsigned cpu, void (*fn)(void *), void *arg);
/* rt_start_cpu() on core 1. */
int rt_start_secondary(void (*fn)(void *), void *arg);
/* Wait until `cpu` has finished its last posted function. */
void rt_cpu_wait_idle(unsigned cpu);
/* The default secondary_main(): serve rt_start_cpu() requests forever. */
void rt_serve(void) __attribute__((noreturn));

/* Sense-reversing barrier over all rt_ncpus() cores. */
void rt_barrier_wait(void);

/* Generic timer: physical count and its frequency (62.5 MHz on QEMU). */
uint64_t rt_cntpct(void);
uint32_t rt_cntfrq(void);

/* Semihosting SYS_EXIT_EXTENDED: QEMU exits with `code` (low 8 bits). */
void rt_exit(int code) __attribute__((noreturn));

/* Semihosting call (svc 0x123456): op in r0, arg in r1, result from r0. */
uint32_t rt_semihost(uint32_t op, const void *arg);

#endif
