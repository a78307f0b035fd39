/* SPDX-License-Identifier: MIT */
/*
 * Boot path for fully static systems: publish the sets prs-gen generated,
 * with no builder at run time (prs_set_build is never linked).
 *
 * Per CPU, at boot, on that CPU: load <prefix>_cpu_images[id] into the MPU
 * (prs_mpu_boot, or the kernel's own register writes: its static slots,
 * every other slot disabled), then
 * prs_cpu_init(sys, cpu, id, <prefix>_cpu_layouts[id]).
 * Per thread, once every CPU is added:
 *
 *     prs_gen_publish(&handle[t], sys, <prefix>_sets[t], <PREFIX>_NCPUS, &scratch);
 *
 * and prs_switch(cpu, &handle[t]) from then on. This file is the only place
 * that knows how generated sets reach the publication API (sync/src/gen_boot.c);
 * prs_generate_sets() (cmake/PrsGenerate.cmake) adds the sets to the firmware.
 */
#ifndef PRSCHED_GEN_BOOT_H
#define PRSCHED_GEN_BOOT_H

#include "prsched/percpu.h"
#include "prsched/publish.h"

/*
 * Initialize h with thread_sets[0..ncpus) (one generated thread's sets, in
 * CPU index order) as its first version. scratch is caller memory that is
 * free again on return. Errors: PRS_E_NULL, PRS_E_ARG (ncpus is not the
 * system's CPU count, or two CPUs of one layout class given different
 * sets), prs_handle_init's codes (a set for another CPU layout than the one
 * booted: PRS_E_ARG/PRS_E_STATIC).
 */
int prs_gen_publish(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_set *const *thread_sets, unsigned ncpus,
		    struct prs_version *scratch);

#endif
