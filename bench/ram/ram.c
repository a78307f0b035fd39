/* SPDX-License-Identifier: MIT */
/*
 * RAM a kernel gives prsched, as the compiler lays it out: each object's
 * size is the size of one of these arrays, read back from the object file
 * (bench/ram/run.sh, `nm -S`) for every (target, CPUs, regions) build.
 * Nothing here runs.
 */
#include "prsched/percpu.h"
#include "prsched/thread.h"

/* Static regions assumed per CPU (the benchmark runtime's map has 4). */
#define RAM_NSTATIC 4

/* Per thread: its handle and rangeset header (struct prs_thread) ... */
char prs_ram_thread[sizeof(struct prs_thread)];
/* ... and the pool version that holds its current set (symmetric: one class). */
char prs_ram_version[PRS_VERSION_BYTES(1, PRS_MAX_REGIONS - RAM_NSTATIC)];
/* The same version for an oversized layout: capacity = twice the dynamic slots. */
char prs_ram_version_2x[PRS_VERSION_BYTES(1, 2 * (PRS_MAX_REGIONS - RAM_NSTATIC))];
/* Shared: the system, each CPU, and C + 1 more versions (the pool bound). */
char prs_ram_system[sizeof(struct prs_system)];
char prs_ram_cpu[sizeof(struct prs_cpu)];
/* One entry of a thread's own range table (caller storage, cap chosen by the kernel). */
char prs_ram_range[sizeof(struct prs_rangeset_entry)];
