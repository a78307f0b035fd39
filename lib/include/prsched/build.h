/* SPDX-License-Identifier: MIT */
/*
 * The set builder: composes one CPU's static regions, its dynamic base and a
 * thread's layers into the struct prs_set the switch path copies.
 *
 * Composition. Layers are painted outermost first: the CPU's base, then
 * layers[0], ..., layers[n-1] (e.g. domain partitions, then the thread's
 * stack and the no-access guard below it). Where ranges of different layers
 * overlap, the inner one wins: it splits the outer range into up to three
 * pieces; a hole (perm 0) just removes what lies under it. Pieces that touch
 * and have the same attributes (perm, memtype, share) merge. What remains is
 * written to slots nstatic, nstatic + 1, ... in address order; the rest of
 * the slots are zero (disabled).
 *
 * Oversized sets. A layout whose capacity (prs_layout_set_capacity) exceeds
 * its MPU's region count accepts sets of up to capacity - nstatic dynamic
 * regions. When a set has more regions than the CPU has dynamic slots, the
 * switch loads only the first nregions - nstatic of them and the kernel's
 * MPU fault handler brings the rest in (prs_fault, prsched/percpu.h). Such
 * a set lists its regions hottest first: by the layer that grants them,
 * innermost first (the thread's own layer -- its stack -- before its
 * domains' partitions, those before the CPU's base layer; a run merged
 * across layers counts as its innermost), in address order within a layer.
 * A caller makes a region hot by granting it in an inner layer. Sets that
 * fit the MPU keep plain address order.
 *
 * Minimality. A region has one set of attributes and regions may not
 * overlap, so each maximal run of equally-granted memory needs one slot and
 * the builder uses exactly one: ndyn is the number of such runs, which is
 * the least any encoding can use. PRS_E_NOSPACE is returned exactly when
 * that number exceeds capacity - nstatic (capacity = nregions unless the
 * layout allows oversized sets).
 *
 * Slot-count bound (prs_set_bound computes it for given inputs):
 *
 *     ndyn <= B + 2 * Rx + Rh
 *
 * where B counts the entries of the outermost layer present (the base, or
 * layers[0] without one) that grant access, Rx the entries of all inner
 * layers that grant access and Rh their holes. Reason: painting one range
 * over disjoint pieces cuts at most one piece at each of its two ends, so
 * it adds at most two pieces (one left + itself + one right, minus the
 * piece it cut); a hole adds at most one (left + right minus the cut one).
 * Coarser and easier to keep in mind: ndyn <= B + 2R with R all inner
 * entries. Example: a one-range RAM base, a domain with P partitions
 * inside it, a stack with its guard hole: at most 1 + 2P + 2 + 1 slots.
 * Identical ranges added twice to one rangeset are one entry and count once.
 *
 * Errors (and nothing written to *out): PRS_E_NULL, PRS_E_ARG (nlayers >
 * PRS_MAX_LAYERS, a layer for another arch, a malformed table), the
 * prs_range_check code of a bad entry, PRS_E_CONFLICT (two entries of one
 * layer overlap or are out of order), PRS_E_STATIC (any entry of any layer,
 * holes included, overlaps a static region: statics are always in force, so
 * neither a grant nor a guard over them would mean what it says),
 * PRS_E_NOSPACE.
 *
 * Cost: O(P * L * log E) for P output pieces, L layers of at most E entries
 * (bench/build-cost: ~3 600 host instructions for 1 partition + base + stack
 * + guard, ~12 200 for 16). No allocation; the stack holds one scratch
 * struct prs_set, sized by PRS_MAX_SET_REGIONS: 680 bytes of frame on r52,
 * 1472 on r82 with the default (-fstack-usage; 400 and 864 when it equals
 * PRS_MAX_REGIONS), plus at most 40 for prs_region_encode.
 */
#ifndef PRSCHED_BUILD_H
#define PRSCHED_BUILD_H

#include <stdint.h>
#include "prsched/rangeset.h"

/* Layers one build may stack on top of the base. */
#define PRS_MAX_LAYERS 16u

struct prs_cpu_layout {
	uint8_t arch;
	uint8_t nregions; /* from MPUIR */
	/*
	 * Regions a set may hold, nregions..PRS_MAX_SET_REGIONS; 0 (what a
	 * static initializer leaves) means nregions. prs_layout_set_capacity.
	 */
	uint8_t capacity;
	uint8_t nstatic;
	struct prs_region statics[PRS_MAX_REGIONS];
	const struct prs_rangeset *base; /* the CPU's dynamic base layer, may be NULL */
	uint64_t home;                   /* an address in the home gap (prs_layout_set_home) */
	uint8_t home_set;
};

/*
 * Checks and stores one CPU's layout. statics[0..nstatic) keep their order:
 * static i goes to slot i. Each must be encodable (prs_range_check codes;
 * a hole is PRS_E_PERM) and no two may overlap (PRS_E_CONFLICT). nregions
 * 1..PRS_MAX_REGIONS and nstatic <= nregions, else PRS_E_ARG; `base` must be
 * NULL or a table for `arch` (PRS_E_ARG). *l is written only on success.
 */
int prs_layout_init(struct prs_cpu_layout *l, enum prs_arch arch, unsigned nregions,
		    const struct prs_range *statics, unsigned nstatic,
		    const struct prs_rangeset *base);

/*
 * Let sets for this layout hold up to `capacity` regions (statics included)
 * although the MPU has nregions: an oversized set's first nregions - nstatic
 * dynamic regions are loaded at the switch, the others on a fault
 * (prs_fault). Each version of the pool then stores capacity - nstatic
 * pairs per class (PRS_VERSION_BYTES). The CPU needs at least
 * PRS_FAULT_MIN_SLOTS dynamic slots: one instruction can touch that many
 * regions, and round-robin replacement keeps the last ones it brought in
 * (prsched/percpu.h). Call it before prs_cpu_init: the system sizes its
 * pool from the capacity then, and refuses larger sets later (PRS_E_ARG at
 * publish). PRS_E_NULL; PRS_E_ARG (capacity < nregions, >
 * PRS_MAX_SET_REGIONS, or oversized with too few dynamic slots).
 */
#define PRS_FAULT_MIN_SLOTS 4u
int prs_layout_set_capacity(struct prs_cpu_layout *l, unsigned capacity);

/* The layout's capacity: regions one of its sets may hold (nregions if not oversized). */
unsigned prs_layout_capacity(const struct prs_cpu_layout *l);

/*
 * The gap `base` lies in: the number of the layout's static regions below it
 * (what struct prs_set's gap[] holds for a region starting at base).
 */
uint8_t prs_layout_gap(const struct prs_cpu_layout *cpu, uint64_t base);

/*
 * Name the home gap: the stretch between static regions that holds `addr`,
 * where thread memory mostly lies. A set whose dynamic regions all lie in
 * its CPU's home gap is switched to with the blind copy (2 barriers); one
 * with a region elsewhere takes the ordered copy (3 barriers). Without this
 * call the home gap is the one holding the base layer's first range, or,
 * without a base layer, the widest gap. PRS_E_NULL, PRS_E_STATIC (addr lies
 * inside a static region).
 */
int prs_layout_set_home(struct prs_cpu_layout *l, uint64_t addr);

/*
 * The static image of a layout: what the CPU's MPU holds at boot before any
 * thread runs. Static slots encoded, every other slot zero (disabled),
 * nslots/nstatic/arch from the layout, ndyn 0, gap[] 0xFF. It is also every
 * set's static part. PRS_E_NULL, PRS_E_ARG (a malformed layout), the codes
 * of prs_region_encode. *img is written only on success.
 */
int prs_layout_image(const struct prs_cpu_layout *l, struct prs_set *img);

/*
 * Compose base (outermost), then layers[0..nlayers) (outer to inner) into
 * the set for one thread on one CPU. layers may be NULL when nlayers is 0.
 * *out is written only on success.
 */
int prs_set_build(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		  unsigned nlayers, struct prs_set *out);

/* The documented upper bound on out->ndyn for these inputs (see above). */
unsigned prs_set_bound(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
		       unsigned nlayers);

/*
 * Removal safety (design-notes invariant 9: a kernel can always take memory
 * away). Removing a range can need MORE slots than the set it leaves
 * behind had: a domain partition D = [0, 0x300) RW under the thread's
 * T1 = [0, 0x100) RO and T2 = [0x100, 0x200) RO is 2 slots (T1 and T2
 * merge); without T1 it is 3. So the check is made when memory is GIVEN
 * and never when it is taken.
 *
 * What is removable: every ENTRY (struct prs_rangeset_entry, holes
 * included) of every layers[i] whose bit i is set in `removable`; an entry
 * goes away when its last reference is dropped (dropping any other
 * reference changes no set). Removing a whole layer (a thread leaving a
 * domain) is removing all its entries. The CPU's base layer and its static
 * regions are never removable.
 *
 * The rule: a grant (anything that adds or changes an entry) is admitted
 * only if every set that removals could later leave -- any subset of the
 * removable entries, taken away in any order -- fits the CPU's free slots,
 * nregions - nstatic. The largest such set (the removal bound) is computed
 * exactly when at most 6 layers hold removable entries; deeper stacks use a
 * safe over-estimate (the number of addresses where some removal could make
 * a region begin). Removals never raise the bound, so from an admitted
 * configuration no removal fails for lack of slots. Proof, cost and
 * measured pessimism: lib/src/admit.c.
 *
 * Bit i of `removable` stands for layers[i]; PRS_REMOVABLE_ALL for all.
 */
#define PRS_REMOVABLE_ALL 0xFFFFFFFFu

/*
 * The removal bound (above) for these inputs into *bound. It is at least
 * the slot count the set needs now, and never grows when entries are
 * removed. Errors (and *bound untouched): those of prs_set_build except
 * PRS_E_NOSPACE.
 */
int prs_set_removal_bound(const struct prs_cpu_layout *cpu,
			  const struct prs_rangeset *const *layers, unsigned nlayers,
			  uint32_t removable, unsigned *bound);

/*
 * prs_set_build for a configuration that is being granted memory: the
 * same, but it also refuses with PRS_E_UNREVOCABLE when the set fits yet
 * its removal bound exceeds capacity - nstatic. PRS_E_NOSPACE still means
 * the set itself does not fit. *out is written only on success.
 */
int prs_set_build_admit(const struct prs_cpu_layout *cpu, const struct prs_rangeset *const *layers,
			unsigned nlayers, uint32_t removable, struct prs_set *out);

#endif
