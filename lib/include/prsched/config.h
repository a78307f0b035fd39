/* SPDX-License-Identifier: MIT */
/*
 * Compile-time limits. They size storage only; the region count actually
 * used comes from MPUIR at run time. Override with -D on the command line
 * (CMake: PRS_MAX_REGIONS, PRS_MAX_CPUS cache variables).
 */
#ifndef PRSCHED_CONFIG_H
#define PRSCHED_CONFIG_H

/* EL1 MPU regions per CPU a set can describe (Cortex-R52: 16/20/24, R82: 16/32). */
#ifndef PRS_MAX_REGIONS
#define PRS_MAX_REGIONS 32
#endif

/*
 * Regions one set may hold (struct prs_set's arrays): more than the MPU has
 * when a thread's set is larger than its CPU's dynamic slots (a layout's
 * capacity, prs_layout_set_capacity; the switch loads the first slots' worth
 * and prs_fault brings in the rest). 2 x PRS_MAX_REGIONS by default; set it
 * to PRS_MAX_REGIONS to drop oversized sets and halve every struct prs_set
 * (the builder's scratch set on the stack, the system's staging sets).
 */
#ifndef PRS_MAX_SET_REGIONS
#define PRS_MAX_SET_REGIONS (2 * PRS_MAX_REGIONS)
#endif

/* CPUs one system may have; each published version carries one set per CPU. */
#ifndef PRS_MAX_CPUS
#define PRS_MAX_CPUS 4
#endif

/*
 * The switch's copy checks for its end every PRS_COPY_STEP slots (1, 2 or
 * 4): fewer compares, and up to STEP - 1 already disabled slots rewritten
 * with the same values. The CPU's region count must be a multiple of it
 * (every Cortex-R52/R82 configuration is: 16, 20, 24, 32).
 */
#ifndef PRS_COPY_STEP
#define PRS_COPY_STEP 2
#endif

/*
 * Optional: the number of static MPU regions every CPU has, fixed at build
 * time (-DPRS_NSTATIC=n). Without it the switch's copy finds where the
 * dynamic slots start with a compare tree on the CPU's static count (about
 * ten instructions per copy); with it that entry is a constant and
 * prs_cpu_init refuses any other layout (PRS_E_LAYOUT).
 */
#if defined(PRS_NSTATIC) && (PRS_NSTATIC < 0 || PRS_NSTATIC > PRS_MAX_REGIONS)
#error "PRS_NSTATIC must be 0..PRS_MAX_REGIONS"
#endif

/* Alignment for anything another CPU reads (published words, flags, sets). */
#ifndef PRS_CACHE_LINE
#define PRS_CACHE_LINE 64
#endif

#if PRS_MAX_REGIONS < 1 || PRS_MAX_REGIONS > 32
#error "PRS_MAX_REGIONS must be 1..32 (PMSAv8 has at most 32 EL1 regions)"
#endif
#if PRS_MAX_SET_REGIONS < PRS_MAX_REGIONS || PRS_MAX_SET_REGIONS > 255
#error "PRS_MAX_SET_REGIONS must be PRS_MAX_REGIONS..255 (a version's key counts regions in 8 bits)"
#endif
#if PRS_MAX_CPUS < 1 || PRS_MAX_CPUS > 14
#error "PRS_MAX_CPUS must be 1..14 (a handle's pool index is 4 bits wide)"
#endif

#if PRS_COPY_STEP != 1 && PRS_COPY_STEP != 2 && PRS_COPY_STEP != 4
#error "PRS_COPY_STEP must be 1, 2 or 4"
#endif

/* The register format this build writes: AArch64 on r82, AArch32 on r52. */
#if defined(__aarch64__)
#define PRS_NATIVE_ARCH PRS_ARCH_AARCH64
#else
#define PRS_NATIVE_ARCH PRS_ARCH_AARCH32
#endif

#endif
