/* SPDX-License-Identifier: MIT */
/*
 * Lock-free publication of a thread's region sets.
 *
 * A handle (one per thread) holds a pool of versions and one published word,
 * (epoch << 5) | buffer index. A writer (any CPU, may wait, serialized per
 * handle by the library) fills a free buffer, publishes it with one store of
 * the word and asks the CPUs that may still run the old version to reload.
 * Readers -- the switch path on each CPU, IRQs off -- never wait: they read
 * the word, announce which buffer they are about to copy in their per-CPU
 * flag words, copy, and clear the flag (percpu/src/switch.c). The protocol
 * argument is in sync/src/publish.c.
 *
 * Word layout: bits [3:0] buffer index, bit 4 EXACT (only ever set in a
 * CPU's announce word, never in a handle's word), bits [31:5] epoch, a 27-bit
 * serial number compared modulo 2^27 (prs_epoch_before). 27 rather than 28
 * bits because the announce word needs the EXACT bit and the index needs all
 * four bits when PRS_MAX_CPUS = 14 (pool of 16).
 *
 * Memory attributes (invariant 8). Cortex-R52 keeps no coherency between the
 * cores' data caches; it treats Shareable Normal memory as non-cacheable. The
 * handle (word and buffers) and every struct prs_cpu must therefore live in
 * memory that is Shareable or Normal Non-cacheable (or Device) on every CPU,
 * inside a static MPU region (the switch path must never lose access to
 * them while it rewrites dynamic slots; prs_cpu_init/prs_handle_init check
 * that with PRS_SYS_CHECK_PLACEMENT). A kernel that keeps them cacheable and
 * non-shareable must build with PRS_CACHE_MAINT=1 and provide
 * prs_cache_clean()/prs_cache_invalidate() (prsched/cache.h); the library
 * then cleans what it wrote for other CPUs and invalidates before reading
 * what they wrote.
 */
#ifndef PRSCHED_PUBLISH_H
#define PRSCHED_PUBLISH_H

#include <stdatomic.h>
#include <stdint.h>
#include "prsched/config.h"
#include "prsched/set.h"

/* Versions per handle: the current one, one pinned per CPU, one being built. */
#define PRS_POOL (PRS_MAX_CPUS + 2)

#define PRS_WORD_INDEX 0x0Fu
#define PRS_WORD_EXACT 0x10u
#define PRS_WORD_EPOCH_SHIFT 5
#define PRS_EPOCH_MASK 0x07FFFFFFu
#define PRS_EPOCH_HALF 0x04000000u

struct prs_system;

/* dyn_gap when the enabled dynamic regions of a set lie in more than one gap (or none). */
#define PRS_GAP_MIXED 0xFFu

/* One published version: one encoded set per CPU, each on its own cache lines. */
struct prs_version {
	struct prs_version_cpu {
		_Alignas(PRS_CACHE_LINE) struct prs_set set;
		/*
		 * Written by the library when the version is published (commit,
		 * handle init), never by the caller: end | dyn_gap << 8, with end =
		 * nstatic + ndyn and dyn_gap the gap every enabled dynamic region
		 * of set lies in, or PRS_GAP_MIXED. Lets the switch skip its
		 * per-slot cross-gap checks and decide with one compare against
		 * struct prs_cpu's gap_key (percpu/src/switch.c).
		 */
		uint16_t dyn_key;
	} cpu[PRS_MAX_CPUS];
};

/* What a writer holds after a commit to wait for the CPUs that had to reload. */
struct prs_ticket {
	struct prs_handle *h;
	uint32_t epoch; /* the epoch the commit published */
	uint32_t mask;  /* CPUs still to confirm (prs_ticket_poll clears them) */
};

struct prs_handle {
	/* Read by every CPU's switch path; written only by a writer holding the lock. */
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t word;

	/* Writer side, one line of its own: readers never touch it. */
	_Alignas(PRS_CACHE_LINE) _Atomic uint32_t lock;
	uint32_t building;            /* buffer handed out by begin, PRS_POOL if none */
	uint32_t published;           /* bit b: buffer b holds a version that was published */
	uint32_t epoch_of[PRS_POOL];  /* epoch buffer b was last published with */
	struct prs_system *sys;
	_Atomic uint32_t publishes;   /* statistics, read by anyone */
	_Atomic uint32_t pin_waits;   /* begin found every buffer pinned and re-scanned */

	struct prs_version buf[PRS_POOL];
};

/* Epoch helpers (serial-number arithmetic modulo 2^27). */
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

/* a is strictly older than b, for epochs less than 2^26 publishes apart. */
static inline int prs_epoch_before(uint32_t a, uint32_t b)
{
	uint32_t d = (b - a) & PRS_EPOCH_MASK;

	return d != 0 && d < PRS_EPOCH_HALF;
}

/* The set CPU `cpu` copies from version v. */
static inline struct prs_set *prs_version_set(struct prs_version *v, unsigned cpu)
{
	return &v->cpu[cpu].set;
}

/*
 * Initialize h with `initial` published as epoch 1 (buffer 0). Every CPU of
 * sys must have been added (prs_cpu_init) first. The initial version is
 * checked like a commit (prs_version_check). With PRS_SYS_CHECK_PLACEMENT the
 * handle must lie inside a static region of every CPU: PRS_E_PLACEMENT.
 */
int prs_handle_init(struct prs_handle *h, struct prs_system *sys,
		    const struct prs_version *initial);

/*
 * Checks a version against the system's CPUs before it may be published:
 * per CPU the set's nslots/nstatic/arch equal the CPU's (PRS_E_ARG), its
 * static slots equal the CPU's static image (PRS_E_STATIC), absent slots are
 * zero, disabled slots have PRLAR 0 and the enabled dynamic slots are
 * exactly [nstatic, nstatic + ndyn) (PRS_E_ARG), no enabled dynamic region
 * overlaps a static region (PRS_E_STATIC) and each one's gap[] is the index
 * of the stretch between static regions it lies in (PRS_E_ARG) -- the switch
 * path's write-order argument relies on exactly these facts.
 */
int prs_version_check(const struct prs_system *sys, const struct prs_version *v);

/*
 * Take the handle's writer lock (waits for another writer of the same
 * handle) and return a buffer that is neither current nor pinned by any CPU.
 * Its contents are unspecified: fill every CPU's set (prs_version_set), or
 * copy prs_publish_current() first. If all buffers are pinned (only when
 * two publishes completed while some CPU sat between its two reads of the
 * word), waits for that CPU to pass them and counts it in h->pin_waits.
 */
struct prs_version *prs_publish_begin(struct prs_handle *h);

/* Under the writer lock: the version currently published. */
const struct prs_version *prs_publish_current(const struct prs_handle *h);

/*
 * Publish v (from prs_publish_begin) as the next epoch, ask the CPUs that
 * may run the old version to reload (the system's reload callback, called
 * once with their mask, after the lock is released), release the lock.
 * t may be NULL; otherwise it is filled for prs_ticket_poll/prs_ticket_wait.
 * Errors (nothing published, lock released, previously published and loaded
 * sets unchanged): PRS_E_NULL, PRS_E_ARG (v is not the buffer begin
 * returned), the codes of prs_version_check.
 */
int prs_publish_commit(struct prs_handle *h, struct prs_version *v, struct prs_ticket *t);

/* Give the buffer back without publishing; releases the lock. */
void prs_publish_abort(struct prs_handle *h, const struct prs_version *v);

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
 * poll with prs_ticket_poll and call prs_reload on this CPU between polls
 * (bench/kernel/src/mem.c does that); otherwise the wait cannot end.
 */
void prs_ticket_wait(struct prs_ticket *t);

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

#endif
