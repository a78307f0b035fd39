/* SPDX-License-Identifier: MIT */
/* Boot: a CPU's static image into its MPU (target builds). */
#include "prsched/percpu.h"
#include "../../lib/arch/mpu_backend.h"

#if !PRS_MPU_HOST
void prs_mpu_boot(const struct prs_set *image)
{
	struct prs_mpu_batch b = { 0 };

	/*
	 * Each slot disabled first, then written: the image's regions take
	 * effect at the ISB; before it any mix of old and new slots may be in
	 * force, so the caller runs from memory the old map and the image
	 * both cover the same way, or with the MPU off.
	 */
	prs_mpu_dsb(&b);
#define BOOT_SLOT(n)                                                 \
	if ((unsigned)(n) < image->nslots) {                         \
		if ((n) == 16)                                       \
			prs_mpu_bank_hi(&b);                         \
		prs_mpu_prlar(&b, (n), 0);                           \
		prs_mpu_prbar(&b, (n), image->prbar[(n)]);           \
		prs_mpu_prlar(&b, (n), image->prlar[(n)]);           \
	}
	PRS_EACH_SLOT(BOOT_SLOT)
#undef BOOT_SLOT
	if (image->nslots > 16u)
		prs_mpu_bank_lo(&b);
	prs_mpu_isb(&b);
}
#endif
