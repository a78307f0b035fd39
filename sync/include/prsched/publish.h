/* SPDX-License-Identifier: MIT */
/*
 * The publication protocol, reader and writer under one name.
 *
 * A system (struct prs_system) has CPUs, each with a reader (struct
 * prs_reader: the announce and loaded words writers scan), a pool of
 * versions in caller storage shared by every thread, and one handle per
 * thread (struct prs_handle: one published word). A version holds one
 * encoded set per layout class: CPUs whose layouts are identical share one
 * class, so a symmetric system stores one set per version.
 *
 * Writers (any CPU, may wait; serialized system-wide by one writer lock,
 * as Zephyr serializes memory-domain changes) fill the staging sets, then
 * commit: a free version is picked, the sets are encoded into it, and one
 * store of the handle's word publishes it; the CPUs that may run the old
 * version are asked to reload. Readers -- prs_switch and prs_reload on each
 * CPU, IRQs off -- never wait: they read the word, announce which version
 * they are about to copy, copy, and clear the announce. The protocol and
 * its proof: sync/src/publish.c (writer) and sync/src/reader.h (reader).
 *
 * Word layout: bits [9:0] version index, bit 10 EXACT (only ever set in a
 * CPU's announce word, never in a handle's word), bits [31:11] epoch, a
 * 21-bit serial number per handle compared modulo 2^21 (prs_epoch_before).
 *
 * The kernel's side of the contract: a CPU takes its reload IPI (calls
 * prs_reload) or switches before the handle it holds is published 2^20
 * more times (epochs compare modulo 2^21).
 *
 * Writer serialization (prs_system_config.lock/unlock/cpu_id). Writers are
 * serialized system-wide by, in this order of preference:
 *   - the kernel's own lock (.lock and .unlock, both or neither): a kernel
 *     mutex also removes the preemption hazard of a spin lock;
 *   - else the built-in filter lock (publish.c), plain seq_cst loads and
 *     stores of per-CPU words, no exclusive access: Cortex-R52 SoCs without
 *     a global exclusive monitor cannot use LDREX/STREX on the
 *     non-cacheable shareable memory prsched lives in (zephyr#76182). It is
 *     keyed by the caller's CPU index: .cpu_id(ctx), or without it on a
 *     bare-metal target MPIDR.Aff0 (the kernel's CPU index must then equal
 *     Aff0). A writer holding it must not be preempted by another writer on
 *     its own CPU (writer API with preemption disabled, or from one kernel
 *     thread per CPU);
 *   - builds with PRS_WRITER_EXCLUSIVES=1 (the host and Linux user-mode
 *     default; never the bare-metal default) use a CAS spin lock instead
 *     when neither .lock nor .cpu_id is given.
 * Waits (the lock, a pool scan, ticket waits) call .relax(ctx) on every
 * round when given (serve this CPU's pending reload, yield, ...), else
 * prs_relax().
 *
 * Pool bound (publish.c, Claim 2): with T live handles and C CPUs, a pool
 * of T + C + 1 versions means a writer never waits for a version unless a
 * CPU saw two publishes of one handle inside the few instructions between
 * its two reads of that handle's word. prs_handle_init refuses a handle the
 * pool cannot cover (PRS_E_POOL).
 *
 * Memory attributes (invariant 8). Cortex-R52 keeps no coherency between the
 * cores' data caches; it treats Shareable Normal memory as non-cacheable.
 * Handles, the pool and every struct prs_cpu must therefore live in memory
 * that is Shareable or Normal Non-cacheable (or Device) on every CPU, inside
 * a static MPU region (the switch path must never lose access to them while
 * it rewrites dynamic slots; PRS_SYS_CHECK_PLACEMENT checks that). A kernel
 * that keeps them cacheable and non-shareable must build with
 * PRS_CACHE_MAINT=1 and provide prs_cache_clean()/prs_cache_invalidate()
 * (prsched/cache.h).
 */
#ifndef PRSCHED_PUBLISH_H
#define PRSCHED_PUBLISH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "prsched/build.h"
#include "prsched/config.h"
#include "prsched/rangeset.h"
#include "prsched/set.h"

#define PRS_WORD_INDEX 0x3FFu
#define PRS_WORD_EXACT 0x400u
#define PRS_WORD_EPOCH_SHIFT 11u
#define PRS_EPOCH_MASK 0x1FFFFFu
#define PRS_EPOCH_HALF 0x100000u
/* Versions one pool can hold: the word's index field. */
#define PRS_MAX_VERSIONS 1024u

/* prs_system_config.flags */
#define PRS_SYS_CHECK_PLACEMENT 1u /* init checks that switch-path state lies in static regions */

/*
 * Pool storage for `nversions` versions of `nclasses` layout classes with at
 * most `ndyn` dynamic regions each (the layout's capacity -- its region
 * count unless it allows oversized sets -- minus its static
 * regions), in bytes. Give prs_system_config.pool that many bytes, aligned
 * to PRS_CACHE_LINE (PRS_POOL_DEFINE does both).
 */
#define PRS_VERSION_BYTES(nclasses, ndyn)                                                \
	((((2u * sizeof(void *) + 8u) +                                                  \
	   (nclasses) * (8u + (ndyn) * 2u * sizeof(prs_reg_t))) + PRS_CACHE_LINE - 1u) / \
	 PRS_CACHE_LINE * PRS_CACHE_LINE)
#define PRS_POOL_BYTES(nversions, nclasses, ndyn) \
	((nversions) * PRS_VERSION_BYTES(nclasses, ndyn))
/* name is a declarator: it cannot be parenthesized. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define PRS_POOL_DEFINE(name, nversions, nclasses, ndyn) \
	_Alignas(PRS_CACHE_LINE) unsigned char name[PRS_POOL_BYTES(nversions, nclasses, ndyn)]
/* NOLINTEND(bugprone-macro-parentheses) */

struct prs_handle;

/*
 * One CPU's side of the protocol. The first line is the only memory other
 * CPUs read (writers' scans, ticket polls); only this CPU writes it
 * (sync/src/reader.h argues every access). The second line is private to
 * this CPU's switch path: where its class's set lies in each version.
 */
struct prs_reader {
	/* ann_w first: its two release stores (STL: no offset form) need no address arithmetic. */
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t ann_w; /* LOWER(w1) or EXACT | w2 */
	_Atomic(struct prs_handle *) ann_h;    /* being copied, or NULL */
	_Atomic(struct prs_handle *) loaded_h; /* what this CPU's MPU holds */
	_Atomic uint32_t loaded_w;

	_Alignas(PRS_CACHE_LINE) uintptr_t vset; /* pool + this CPU's class set offset */
	uint32_t vstride;                          /* bytes per version */
	uint32_t vbytes;                           /* bytes of the class set (cache maintenance) */
	uint32_t id;                               /* CPU index */
};

/*
 * A layout class: CPUs with the same layout (static regions and dynamic
 * base) share it and its set in every version.
 */
struct prs_class {
	const struct prs_cpu_layout *layout;
	struct prs_set image; /* the static slots, nslots, nstatic, arch */
	uint8_t cap;          /* regions a set may hold: the layout's capacity when added */
	uint32_t off;         /* byte offset of this class's set in a version */
	uint8_t home;         /* the gap between statics most memory lies in */
	prs_reg_t residue;    /* a PRBAR base inside the home gap, for disabled slots */
};

struct prs_system_config {
	unsigned ncpus;
	/*
	 * Required: make each CPU in cpu_mask call prs_reload soon (an IPI).
	 * The IPI must be sent after the publishing store is visible (DSB
	 * before the SGI).
	 */
	void (*reload)(void *ctx, uint32_t cpu_mask);
	void *ctx;
	unsigned flags;
	/* MAIR (AArch32: MAIR0 | MAIR1 << 32): the placement check accepts a
	 * non-shareable region only if its AttrIndx names a non-cacheable type. */
	uint64_t mair;
	/* Version storage: PRS_POOL_BYTES(...) bytes aligned to PRS_CACHE_LINE. */
	void *pool;
	size_t pool_bytes;
	/* Optional: the kernel's writer lock (both or neither; see the top of this file). */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/* Optional: the calling CPU's index, 0..ncpus-1 (the built-in writer lock's key). */
	unsigned (*cpu_id)(void *ctx);
	/*
	 * Optional: one round of a writer's wait (lock, pool scan, ticket). A
	 * writer with IRQs masked that may wait on its own CPU's reload must
	 * serve it here (prs_reload); otherwise a ticket naming this CPU never
	 * completes.
	 */
	void (*relax)(void *ctx);
};

/* The writer's staging area: one set per layout class (prs_version_set). */
struct prs_version {
	struct prs_set set[PRS_MAX_CPUS];
};

struct prs_system {
	/* Writer side: one writer at a time, system-wide (its own cache line). */
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t lock; /* PRS_WRITER_EXCLUSIVES CAS lock */
	uint32_t lock_cpu;                   /* the filter lock's holder (its unlock) */
	_Atomic uint32_t level[PRS_MAX_CPUS];  /* filter lock: per CPU, 0 = not trying */
	_Atomic uint32_t victim[PRS_MAX_CPUS]; /* filter lock: per level 1..ncpus-1 */
	_Atomic uint32_t publishes;          /* statistics, read by anyone */
	_Atomic uint32_t pin_waits;          /* scans that found every free version pinned */
	uint32_t vstride;                    /* the pool's layout, fixed by the first handle */
	uint32_t nversions;
	uint32_t handles;                    /* live handles (the pool bound) */
	struct prs_handle *building;         /* handle between begin and commit, or NULL */
	unsigned char *pool;                 /* cfg.pool, cache-line aligned */

	struct prs_system_config cfg;
	struct prs_reader *rd[PRS_MAX_CPUS]; /* per CPU, set by prs_cpu_init */
	struct prs_version stage;            /* the writer's staging sets */
	struct prs_class cls[PRS_MAX_CPUS];
	uint8_t cls_of[PRS_MAX_CPUS];        /* each CPU's layout class */
	uint8_t nclasses;
	uint8_t started;                     /* the first handle fixed the pool layout */
};

/* What a writer holds after a commit to wait for the CPUs that had to reload. */
struct prs_ticket {
	struct prs_handle *h;
	uint32_t epoch; /* the epoch the commit published */
	uint32_t mask;  /* CPUs still to confirm (prs_ticket_poll clears them) */
};

/*
 * A thread's published word, on a cache line of its own: read by every
 * CPU's switch path, written only by a writer holding the system lock.
 * The rest of the line is writer-only state that costs no extra memory:
 * the layers prs_thread_* and prs_domain_* rebuild the handle's sets from
 * (readers never touch it; a handle published with prs_publish_* directly
 * leaves it unused).
 */
struct prs_domain;

/* Memory domains a thread can be a member of at once: what fits the handle's line. */
#define PRS_THREAD_MAX_DOMAINS 3u

struct prs_handle {
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t word;
	uint8_t nouter; /* layers in outer */
	uint8_t ndom;   /* domains in dom */
	struct prs_system *sys;
	const struct prs_rangeset *const *outer; /* caller's array, outermost first */
	struct prs_rangeset own;                 /* the innermost layer, in caller storage */
	struct prs_domain *dom[PRS_THREAD_MAX_DOMAINS]; /* joined, in join order (domain.h) */
};
_Static_assert(sizeof(struct prs_handle) == (size_t)PRS_CACHE_LINE, "a handle is one cache line");

/* Epoch helpers (serial-number arithmetic modulo 2^21). */
static inline uint32_t prs_word_epoch(uint32_t w)
{
	return w >> PRS_WORD_EPOCH_SHIFT;
}

static inline uint32_t prs_word_index(uint32_t w)
{
	return w & PRS_WORD_INDEX;
}

static inline uint32_t prs_word_make(uint32_t epoch, uint32_t index)
{
	return ((epoch & PRS_EPOCH_MASK) << PRS_WORD_EPOCH_SHIFT) | (index & PRS_WORD_INDEX);
}

/* a is strictly older than b, for epochs less than 2^20 publishes apart. */
static inline int prs_epoch_before(uint32_t a, uint32_t b)
{
	uint32_t d = (b - a) & PRS_EPOCH_MASK;

	return (d != 0u) && (d < PRS_EPOCH_HALF);
}

/*
 * Errors: PRS_E_NULL; PRS_E_ARG (ncpus 0 or > PRS_MAX_CPUS, unknown flags,
 * only one of .lock/.unlock, or no way to serialize writers: ncpus > 1 on
 * a host build without exclusives and without .lock or .cpu_id);
 * PRS_E_NORELOAD (cfg->reload is NULL: a revoke could never complete);
 * PRS_E_POOL (no pool storage, or not aligned to PRS_CACHE_LINE).
 */
int prs_system_init(struct prs_system *sys, const struct prs_system_config *cfg);

/*
 * Register CPU `id`'s reader and layout (called by prs_cpu_init). Errors:
 * PRS_E_ARG (id out of range, added twice), PRS_E_STARTED (a handle exists
 * already: the pool layout is fixed), the codes of prs_layout_image.
 */
int prs_system_add_cpu(struct prs_system *sys, struct prs_reader *rd, unsigned id,
		       const struct prs_cpu_layout *layout);

/*
 * PRS_OK if [p, p + n) lies inside one enabled static region of `image`
 * (slots [0, nstatic)) that is EL1-writable when need_write, and Shareable
 * or, per sys->cfg.mair, non-cacheable; else PRS_E_PLACEMENT.
 */
int prs_static_covers(const struct prs_system *sys, const struct prs_set *image,
		      const void *p, uint64_t n, int need_write);

/* Versions the pool holds (0 before the first handle fixed its layout). */
uint32_t prs_system_versions(const struct prs_system *sys);

/* The set a writer fills for CPU `cpu` (shared by every CPU of its class). */
struct prs_set *prs_version_set(struct prs_version *v, const struct prs_system *sys,
				unsigned cpu);

/*
 * Initialize h with `initial` (the staging sets of a version) published as
 * epoch 1. Every CPU must have been added first. Errors: PRS_E_NULL,
 * PRS_E_NOCPU (a CPU of the system was never added), PRS_E_POOL (the pool
 * cannot hold one more handle with the bound of Claim 2: it needs
 * handles + ncpus + 1 versions), PRS_E_PLACEMENT, the codes of
 * prs_version_check. The pool layout is fixed by the first handle.
 */
int prs_handle_init(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_version *initial);

/*
 * Retire h: its version returns to the pool (once no CPU copies it) and the
 * handle no longer counts against the pool. After this, h must never be
 * switched to again (its word still names the freed version); prs_reload on
 * a CPU still holding h copies nothing, since h is never published again.
 * Its memory may be reused once prs_handle_busy(h) == 0. Takes the writer
 * lock. PRS_E_NULL, PRS_E_ARG (never initialized, or retired already).
 */
int prs_handle_fini(struct prs_handle *h);

/*
 * Checks the staged sets of v before they may be published: per class the
 * set's nslots/nstatic/arch equal the class's (PRS_E_ARG), its static slots
 * equal the static image (PRS_E_STATIC), absent slots are zero, disabled
 * slots have PRLAR 0 and the enabled dynamic slots are exactly [nstatic,
 * nstatic + ndyn), at most the layout's capacity (PRS_E_ARG), no enabled dynamic region overlaps a static
 * region (PRS_E_STATIC) or another dynamic one (PRS_E_CONFLICT) or has its
 * limit below its base (PRS_E_EMPTY) and each one's gap[] is the stretch
 * between statics it lies in (PRS_E_ARG).
 */
int prs_version_check(const struct prs_system *sys, const struct prs_version *v);

/*
 * Take the system's writer lock (waits for another writer) and return the
 * staging version, holding h's current sets: change what you need, then
 * commit or abort.
 */
struct prs_version *prs_publish_begin(struct prs_handle *h);

/*
 * Publish the staged sets as h's next epoch: pick a version neither current
 * nor pinned by any CPU's announce (Claim 2: waits only if some CPU saw two
 * publishes of one handle inside its announce window; counted in
 * sys->pin_waits), encode, store the word, ask the CPUs that may run the
 * old version to reload (the reload callback, after the lock is released).
 * t may be NULL; otherwise it is filled for prs_ticket_poll/prs_ticket_wait.
 * Errors (nothing published, lock released, published and loaded sets
 * unchanged): PRS_E_NULL, PRS_E_ARG (h did not begin), the codes of
 * prs_version_check.
 */
int prs_publish_commit(struct prs_handle *h, struct prs_ticket *t);

/* Drop the staged sets without publishing; releases the lock. */
void prs_publish_abort(struct prs_handle *h);

/*
 * PRS_OK once no CPU of the ticket can still run the handle with a version
 * older than the ticket's (each has switched or reloaded past it), else
 * PRS_E_AGAIN. Never waits.
 */
int prs_ticket_poll(struct prs_ticket *t);

/*
 * Poll until PRS_OK: bounded by one switch or reload on each CPU of the
 * ticket. The caller's own CPU may be in the ticket (the thread ran here):
 * wait with IRQs enabled so its reload IPI is taken, or, with IRQs masked,
 * give the system a .relax hook that serves this CPU's pending reload
 * (prs_reload); otherwise the wait cannot end. Calls .relax (or
 * prs_relax) between polls.
 */
void prs_ticket_wait(struct prs_ticket *t);

/*
 * Several tickets completed together: what a change to a memory domain
 * returns (one ticket per member it republished). At most
 * PRS_TICKETS_MAX; n counts the filled ones.
 */
#define PRS_TICKETS_MAX 16u
struct prs_tickets {
	uint32_t n;
	struct prs_ticket t[PRS_TICKETS_MAX];
};

/* PRS_OK once every ticket of ts is (prs_ticket_poll), else PRS_E_AGAIN; never waits. */
int prs_tickets_poll(struct prs_tickets *ts);

/* Poll every ticket of ts until PRS_OK (as prs_ticket_wait). */
void prs_tickets_wait(struct prs_tickets *ts);

/*
 * CPUs whose MPU holds h or that are copying it now (a mask). A handle's
 * memory may be reused for another thread (prs_handle_init again) only once
 * this is 0: the fast path compares the handle pointer and word, so a new
 * handle at the same address whose first word equals a stale loaded word
 * would otherwise skip its copy (ABA on handle reuse). A CPU leaves the
 * mask by switching to any other handle.
 */
uint32_t prs_handle_busy(const struct prs_handle *h);

/* Writer-side pause in wait loops (spin hint on target, yield on the host). */
void prs_relax(void);

/* One round of a writer's wait on sys: its .relax hook, else prs_relax(). */
void prs_system_relax(const struct prs_system *sys);

#endif
