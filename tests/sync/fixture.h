/* SPDX-License-Identifier: MIT */
/*
 * Test fixture for the on-line half: a system of CPUs, each with a host MPU
 * model, sets encoded by hand in the AArch32 format (no dependency on the
 * builder), and a reload callback that records what it was asked.
 *
 * Static layout (slots 0..3, address order == slot order):
 *   S0 0x10000000..0x1000FFFF  S1 0x20000000..0x2000FFFF
 *   S2 0x30000000..0x3000FFFF  S3 0x40000000..0x4000FFFF
 * Gaps: 0 below S0, 1 between S0 and S1, ... 4 above S3.
 */
#ifndef PRS_SYNC_FIXTURE_H
#define PRS_SYNC_FIXTURE_H

#include <stdint.h>
#include "prs_test.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#if defined(PRS_BACKEND_HOST)
#include "prsched/mpu_model.h"
#endif

#define FX_NSLOTS 16u
#define FX_NSTATIC 4u
#define FX_NDYN (FX_NSLOTS - FX_NSTATIC)
#define FX_CPUS PRS_MAX_CPUS

/* One dynamic region: base, inclusive limit, attributes. */
struct fx_region {
	uint32_t base, limit;
	uint8_t ap, xn, attr, sh;
};

/* AArch32 encodings, by hand (PRBAR [31:6] base [4:3] SH [2:1] AP [0] XN; PRLAR [31:6] limit [3:1] AttrIndx [0] EN). */
static inline prs_reg_t fx_prbar(uint32_t base, unsigned sh, unsigned ap, unsigned xn)
{
	return (prs_reg_t)((base & ~0x3Fu) | ((sh & 3u) << 3) | ((ap & 3u) << 1) | (xn & 1u));
}

static inline prs_reg_t fx_prlar(uint32_t limit, unsigned attr)
{
	return (prs_reg_t)((limit & ~0x3Fu) | ((attr & 7u) << 1) | 1u);
}

/* The statics' bounds and the gap a base lies in. */
uint32_t fx_static_base(unsigned i);
unsigned fx_gap_of(uint32_t base);
/* Lowest and highest address of gap g that tests use (inside the 32-bit space). */
uint32_t fx_gap_lo(unsigned g);
uint32_t fx_gap_hi(unsigned g);

struct fx {
	struct prs_system sys;
	struct prs_set image;
	_Atomic uint32_t reload_mask; /* OR of every mask the callback got */
	_Atomic uint32_t reload_calls;
};

/* The shared CPUs, models, and fixture (static storage: also builds freestanding). */
extern struct prs_cpu fx_cpu[FX_CPUS];
extern struct fx fx_sys;
#if defined(PRS_BACKEND_HOST)
extern struct prs_mpu_model fx_mpu[FX_CPUS];
#endif

/* Fresh system of ncpus CPUs with the static image; models' checks on when check. */
void fx_init(unsigned ncpus, int check);

/* A set: the image plus regions r[0..n) in slots nstatic.. (gap computed). */
void fx_set(struct prs_set *s, const struct fx_region *r, unsigned n);
/* The same set for every CPU of the system. */
void fx_version(struct prs_version *v, const struct fx_region *r, unsigned n);
/* n regions of `size` bytes spaced `stride` apart starting at `base`. */
void fx_regions(struct fx_region *r, unsigned n, uint32_t base, uint32_t size, uint32_t stride,
		unsigned attr);

/* begin + fill (same regions on every CPU) + commit. */
int fx_publish(struct prs_handle *h, const struct fx_region *r, unsigned n, struct prs_ticket *t);

/* Non-zero if CPU k's MPU (model on the host, registers on target) holds exactly set s. */
int fx_mpu_holds(unsigned k, const struct prs_set *s);
/* Buffer index a pointer from prs_publish_begin names. */
unsigned fx_buf_index(const struct prs_handle *h, const struct prs_version *v);

/* Counters of CPU k. */
uint32_t fx_writes(unsigned k);
uint32_t fx_barriers(unsigned k);

/* Random dynamic regions: 1..max sorted, non-overlapping, in 1-2 random gaps. */
unsigned fx_random_regions(uint64_t *rng, struct fx_region *r, unsigned max);

#endif
