/* SPDX-License-Identifier: MIT */
#include "twocpu.h"

struct prs_system tc_sys;
struct prs_cpu tc_cpu[TC_NCPU];
struct prs_mpu_model tc_mpu[TC_NCPU];
int tc_ipi_now;
uint32_t tc_ipi_pending;
unsigned tc_relax_calls;
static struct prs_cpu_layout layout[TC_NCPU];

static void reload_cb(void *ctx, uint32_t mask)
{
	(void)ctx;
	tc_ipi_pending |= mask;
	if (!tc_ipi_now)
		return;
	for (unsigned k = 0; k < TC_NCPU; k++)
		if (mask & (1u << k))
			prs_reload(&tc_cpu[k]);
	tc_ipi_pending = 0;
}

/* The kernel's wait: serve the pending reloads (as an IRQs-masked kernel serves its own). */
static void relax_cb(void *ctx)
{
	(void)ctx;
	tc_relax_calls++;
	for (unsigned k = 0; k < TC_NCPU; k++)
		if (tc_ipi_pending & (1u << k))
			prs_reload(&tc_cpu[k]);
	tc_ipi_pending = 0;
}

struct prs_range tc_range(uint64_t base, uint64_t size, uint8_t perm)
{
	struct prs_range r = { base, size, perm, 0, 0, 0 };

	return r;
}

unsigned tc_mapped(unsigned k, uint64_t addr)
{
	unsigned slot;

	return prs_mpu_model_match(&tc_mpu[k], tc_mpu[k].prbar, tc_mpu[k].prlar, addr, &slot);
}

void tc_init(unsigned nregions, void *pool, size_t pool_bytes, int relax)
{
	tc_init_cap(nregions, 0, 0, pool, pool_bytes, relax);
}

void tc_init_cap(unsigned nregions, unsigned capacity, uint64_t home, void *pool,
		 size_t pool_bytes, int relax)
{
	static const uint64_t sb[4] = { 0x10000000u, 0x20000000u, 0x30000000u, 0x40000000u };
	struct prs_system_config cfg = { .ncpus = TC_NCPU, .reload = reload_cb, .pool = pool,
					 .pool_bytes = pool_bytes, .relax = relax ? relax_cb : NULL };
	struct prs_range statics[4];

	for (unsigned i = 0; i < 4; i++) {
		statics[i] = tc_range(sb[i], 0x10000u, PRS_EL1_R | PRS_EL1_W);
		statics[i].share = PRS_SH_INNER;
	}
	PRS_CHECK_EQ(prs_system_init(&tc_sys, &cfg), PRS_OK);
	for (unsigned k = 0; k < TC_NCPU; k++) {
		static struct prs_set img;

		PRS_CHECK_EQ(prs_layout_init(&layout[k], PRS_ARCH_AARCH32, nregions, statics, 4, NULL),
			     PRS_OK);
		if (capacity)
			PRS_CHECK_EQ(prs_layout_set_capacity(&layout[k], capacity), PRS_OK);
		if (home)
			PRS_CHECK_EQ(prs_layout_set_home(&layout[k], home), PRS_OK);
		PRS_CHECK_EQ(prs_layout_image(&layout[k], &img), PRS_OK);
		PRS_CHECK_EQ(prs_cpu_init(&tc_sys, &tc_cpu[k], k, &layout[k]), PRS_OK);
		prs_mpu_model_init(&tc_mpu[k], &img);
		tc_mpu[k].check = 1;
		tc_cpu[k].hw = &tc_mpu[k];
	}
	tc_ipi_now = 1;
	tc_ipi_pending = 0;
	tc_relax_calls = 0;
}
