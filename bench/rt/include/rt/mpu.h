/* SPDX-License-Identifier: MIT */
/*
 * The runtime's EL1 memory map: MAIR attribute indices, PRBAR/PRLAR field
 * constants, the static regions every core loads at boot, and the direct
 * PRBARn/PRLARn accessors (regions 0..15).
 *
 * MAIR (AttrIndx -> memory type), MAIR0 holds indices 0..3, MAIR1 = 0:
 *
 *   index  MAIR byte  type
 *   0      0xff       Normal, inner+outer write-back non-transient, RW-allocate
 *   1      0x44       Normal, inner+outer non-cacheable
 *   2      0x00       Device-nGnRnE
 *   3      0x04       Device-nGnRE
 *
 * Static map (slots 0..RT_MPU_NSTATIC-1, identical on every core, SCTLR.M=1):
 *
 *   slot  range                          attr  access
 *   0     __rt_text_start..text_end      0     EL1 RO, executable (vectors too)
 *   1     __rt_rodata_start..end         0     EL1 RO, XN
 *   2     __rt_rw_start..rw_end          0 IS  EL1 RW, XN: .data .bss stacks
 *   3     0xe0000000..0xf013ffff         2     EL1 RW, XN: every peripheral the
 *                                                runtime and the kernel use (shared
 *                                                UARTs, per-core UART 0xe7c00000,
 *                                                GICv3 distributor + 2
 *                                                redistributors) in one region, so
 *                                                12 of QEMU's 16 slots stay free
 *                                                for dynamic regions
 *
 * SCTLR.BR=1: at EL1 any address no region covers uses the default
 * (background) map, so EL1 code may touch memory outside the image (e.g.
 * __rt_free_start..) without a region; EL0 still faults there. Slot 2 is
 * Inner Shareable on purpose: the Cortex-R52 treats Shareable Normal memory
 * as non-cacheable, which is what keeps the runtime's cross-core words (boot
 * flags, mailboxes, barrier, console lock) coherent on silicon; QEMU would
 * not show the difference. No static region is EL0-accessible.
 *
 * Every static region is sized by the linker script to 4 KiB multiples (a
 * multiple of the 64-byte granule; 4 KiB keeps QEMU off its per-access MPU
 * lookup for pages a region boundary cuts, see rt.ld), so
 * a set built for the dynamic slots (RT_MPU_NSTATIC..rt_mpu_nregions()-1)
 * must not overlap these ranges: an address hit by two enabled regions
 * faults even at EL1.
 */
#ifndef RT_MPU_H
#define RT_MPU_H

#include <stdint.h>

#define RT_ATTR_NORMAL_WB 0u
#define RT_ATTR_NORMAL_NC 1u
#define RT_ATTR_DEVICE_NGNRNE 2u
#define RT_ATTR_DEVICE_NGNRE 3u
#define RT_MAIR0_VALUE 0x040044ffu
#define RT_MAIR1_VALUE 0x00000000u

/* PRBAR: [31:6] base, [4:3] SH, [2:1] AP, [0] XN. */
#define RT_PRBAR_XN 0x1u
#define RT_PRBAR_AP_EL1_RW (0u << 1)
#define RT_PRBAR_AP_RW (1u << 1)
#define RT_PRBAR_AP_EL1_RO (2u << 1)
#define RT_PRBAR_AP_RO (3u << 1)
#define RT_PRBAR_SH_NON (0u << 3)
#define RT_PRBAR_SH_OUTER (2u << 3)
#define RT_PRBAR_SH_INNER (3u << 3)
/* PRLAR: [31:6] limit (inclusive, ends at limit|0x3f), [3:1] AttrIndx, [0] EN. */
#define RT_PRLAR_EN 0x1u
#define RT_PRLAR_ATTR(i) ((uint32_t)(i) << 1)
#define RT_MPU_ALIGN 64u

/* SCTLR bits the runtime sets. */
#define RT_SCTLR_M (1u << 0)
#define RT_SCTLR_C (1u << 2)
#define RT_SCTLR_I (1u << 12)
#define RT_SCTLR_BR (1u << 17)

enum rt_mpu_slot {
	RT_SLOT_TEXT,
	RT_SLOT_RODATA,
	RT_SLOT_RW,
	RT_SLOT_DEVICE,
	RT_MPU_NSTATIC /* first slot free for dynamic regions */
};

#define RT_DEVICE_BASE 0xe0000000u
#define RT_DEVICE_LIMIT 0xf013ffffu
#define RT_GICD_BASE 0xf0000000u
#define RT_GICR_BASE 0xf0100000u
#define RT_GICR_STRIDE 0x20000u

/* One region: [base, limit] inclusive, and the register values loading it. */
struct rt_mpu_region {
	uint32_t base;
	uint32_t limit;
	uint32_t prbar;
	uint32_t prlar;
	const char *name;
};

static inline uint32_t rt_prbar(uint32_t base, uint32_t flags)
{
	return (base & ~(RT_MPU_ALIGN - 1u)) | flags;
}

/* limit is the last byte of the region (inclusive). */
static inline uint32_t rt_prlar(uint32_t limit, uint32_t attr_index)
{
	return (limit & ~(RT_MPU_ALIGN - 1u)) | RT_PRLAR_ATTR(attr_index) |
	       RT_PRLAR_EN;
}

/* EL1 MPU regions this core has (MPUIR[15:8]; 16 on QEMU). */
unsigned rt_mpu_nregions(void);
/* Slots 0..rt_mpu_nstatic()-1 hold the static map; the rest are free. */
unsigned rt_mpu_nstatic(void);
/* The static region in `slot` (< rt_mpu_nstatic()); 0 on success. */
int rt_mpu_static_region(unsigned slot, struct rt_mpu_region *r);
/*
 * Direct PRBARn/PRLARn access, n = 0..15 (no PRSELR). rt_mpu_write disables
 * the slot first (PRLAR=0, ISB), then writes PRBAR and PRLAR; call
 * rt_mpu_sync() after a batch. A helper for setup and tests, not a switch
 * path. -1 if n is out of range.
 */
int rt_mpu_write(unsigned n, uint32_t prbar, uint32_t prlar);
int rt_mpu_read(unsigned n, uint32_t *prbar, uint32_t *prlar);
/* DSB then ISB: later EL1 accesses use the new regions. */
void rt_mpu_sync(void);
/* Load MAIR0/1 and the static map, disable the rest, turn the MPU on. */
void rt_mpu_init(void);

/* Linker-script symbols (bench/rt/rt.ld); every bound is 4 KiB aligned. */
extern char __rt_text_start[], __rt_text_end[];
extern char __rt_rodata_start[], __rt_rodata_end[];
extern char __rt_data_start[], __rt_data_end[];
extern char __rt_bss_start[], __rt_bss_end[];
extern char __rt_stacks_start[], __rt_stacks_end[];
extern char __rt_rw_start[], __rt_rw_end[];
extern char __rt_free_start[], __rt_ram_end[];

#endif
