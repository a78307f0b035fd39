/* SPDX-License-Identifier: MIT */
/*
 * Test fixture for the on-line half: a system of CPUs, each with a host MPU
 * model, sets encoded by hand in the AArch32 format (no dependency on the
 * builder), and a reload callback that records what it was asked.
 *
 * Host static layout (slots 0..3, 16 slots):
 *   S0 0x10000000..0x1000FFFF  S1 0x20000000..0x2000FFFF
 *   S2 0x30000000..0x3000FFFF  S3 0x40000000..0x4000FFFF
 * Target (r52 firmware under QEMU): the runtime's static map, read back
 * from each core's MPU (text/rodata/rw in DDR at 0x20000000, peripherals,
 * GIC), MPUIR's region count, placement checks on. Test regions sit at
 * 0x10100000.. (below S1 on the host, below the image on target) and
 * 0x30100000.. (another gap on both). Every switch and reload of CPU k runs
 * on core k (fx_switch, fx_reload), which is also where fx_mpu_holds reads
 * the registers back.
 */
#ifndef PRS_SYNC_FIXTURE_H
#define PRS_SYNC_FIXTURE_H

#include <stdint.h>
#include "prs_test.h"
#include "prsched/error.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/testing.h"
#if defined(PRS_BACKEND_HOST)
#include "prsched/mpu_model.h"
#endif

#define FX_NDYN_MAX 12u
#define FX_CPUS PRS_MAX_CPUS
/* Versions in the fixture's pool: room for 32 handles. */
#define FX_VERSIONS (32u + FX_CPUS + 1u)

/* Slots of the CPUs under test, static slots, dynamic slots (<= FX_NDYN_MAX). */
extern unsigned fx_nslots, fx_nstatic, fx_ndyn;

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

/* The gap (static regions below it) a base lies in. */
unsigned fx_gap_of(uint32_t base);

/* CPU k's switch / reload, run on core k on target. */
void fx_switch(unsigned k, struct prs_handle *h);
void fx_reload(unsigned k);

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
/* When set, fx_init lets it change the system config (writer lock, hooks) first. */
extern void (*fx_tweak)(struct prs_system_config *cfg);

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

/*
 * Tagged versions: version `tag` is 1 + tag % 4 regions in gap 1 whose
 * placement depends on tag, so the MPU tells which version a CPU holds.
 */
unsigned fx_tagged(struct fx_region *r, unsigned tag);
void fx_publish_tag(struct prs_handle *h, unsigned tag, struct prs_ticket *t);
int fx_holds_tag(unsigned k, unsigned tag);
/* The home gap's address (gap 1 on the host, below the image on target). */
#define FX_HOME 0x10100000u

/* The set CPU k copies from h's current version (takes and drops the writer lock). */
void fx_current(struct prs_handle *h, unsigned k, struct prs_set *out);

/* Pool index of the version h publishes now. */
unsigned fx_version_of(const struct prs_handle *h);

/* Counters of CPU k. */
uint32_t fx_writes(unsigned k);
uint32_t fx_barriers(unsigned k);

/* Random dynamic regions: 1..max sorted, non-overlapping, in 1-2 random gaps (of at least 1 MiB). */
unsigned fx_random_regions(uint64_t *rng, struct fx_region *r, unsigned max);

#endif
