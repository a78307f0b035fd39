/* SPDX-License-Identifier: MIT */
/*
 * A thread's view, end to end: its own rangeset (the innermost layer), any
 * outer layers it shares (memory domains), each layout class's layout
 * (statics and dynamic base, from prs_cpu_init), and the handle the switch
 * path reads. Grant/revoke change the rangeset, rebuild every class's set
 * with the builder and publish it. A grant never waits for other CPUs; a
 * revoke returns only once no CPU can still run the thread with the revoked
 * range mapped (invariant 5). All of it runs under the system's writer
 * lock; the switch path never waits. On any error nothing is published and
 * the rangeset is as it was (invariant 7).
 */
#ifndef PRSCHED_THREAD_H
#define PRSCHED_THREAD_H

#include "prsched/build.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"

/* Revokes one prs_thread_update may carry (each is saved for the undo). */
#define PRS_THREAD_UPDATE_MAX 16u

/*
 * One cache line: the handle (the switch path reads its word; its writer-
 * only part holds the fixed outer layers, the domains the thread is a
 * member of -- at most PRS_THREAD_MAX_DOMAINS -- and the own layer).
 * Writers change it only under the system's writer lock. Layers, outermost
 * first: outer[0..nouter), the domains' partitions in the order the thread
 * joined them, the own layer.
 */
struct prs_thread {
	struct prs_handle h;
};

/*
 * Set up t and publish its first version (outer layers + an empty own
 * layer, no domain). t must not be in use (fresh, or prs_handle_busy == 0
 * after prs_thread_fini). outer[0..nouter) must outlive the thread.
 * Errors: PRS_E_NULL, PRS_E_ARG (nouter + PRS_THREAD_MAX_DOMAINS + 1 >
 * PRS_MAX_LAYERS), those of prs_rangeset_init, prs_set_build and
 * prs_handle_init.
 */
int prs_thread_init(struct prs_thread *t, struct prs_system *sys,
		    const struct prs_rangeset *const *outer, unsigned nouter,
		    struct prs_rangeset_entry *storage, unsigned cap);

/*
 * Add r to the thread's own layer and publish; never waits for other CPUs.
 * Refused with PRS_E_UNREVOCABLE when the set would fit but some later
 * removal (of the thread's ranges or its domains' partitions, in any order)
 * could not: a revoke never fails for lack of slots (lib/include/prsched/
 * build.h, "Removal safety").
 */
int prs_thread_grant(struct prs_thread *t, const struct prs_range *r);

/*
 * The same, and *tk (when not NULL) completes once every CPU that ran the
 * thread has the grant in force (prs_ticket_poll / prs_ticket_wait).
 */
int prs_thread_grant_async(struct prs_thread *t, const struct prs_range *r,
			   struct prs_ticket *tk);

/*
 * Drop [base, base + size) from the own layer, publish, wait
 * (prs_ticket_wait). Never fails for lack of MPU slots; errors only for a
 * range that was not granted (PRS_E_NOENT, PRS_E_PARTIAL, ...).
 */
int prs_thread_revoke(struct prs_thread *t, uint64_t base, uint64_t size);

/* Same without the wait: poll or wait on *tk (never NULL) to complete it. */
int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk);

/*
 * Several changes to the own layer in one publish, all or nothing: drop
 * one reference on each revokes[j] (base and size name an entry; the
 * other fields are ignored), then add each grants[i], then build, admit
 * and publish once. Any failure (a rangeset rule, PRS_E_NOSPACE,
 * PRS_E_UNREVOCABLE) undoes every step: the layer and the published word
 * are as before. With tk NULL the call waits like prs_thread_revoke;
 * otherwise *tk is filled and the caller completes it. Errors also:
 * PRS_E_NULL (n or m non-zero with a NULL array), PRS_E_ARG (m >
 * PRS_THREAD_UPDATE_MAX).
 */
int prs_thread_update(struct prs_thread *t, const struct prs_range *grants, unsigned n,
		      const struct prs_range *revokes, unsigned m, struct prs_ticket *tk);

/*
 * Replace the whole own layer by ranges[0..n) (FreeRTOS's
 * vTaskAllocateMPURegions) in one publish: the new layer is built in
 * `storage` (cap entries, caller memory, unused by anything else); on
 * success the thread uses it and the old storage is the caller's again
 * when the call returns; on failure nothing changes and `storage` is
 * unused. tk as for prs_thread_update. Errors: those of prs_rangeset_init
 * and prs_rangeset_add (for ranges[i]), PRS_E_NOSPACE, PRS_E_UNREVOCABLE.
 */
int prs_thread_replace(struct prs_thread *t, struct prs_rangeset_entry *storage, unsigned cap,
		       const struct prs_range *ranges, unsigned n, struct prs_ticket *tk);

/* Rebuild and republish after an outer layer changed (callers serialize that change). */
int prs_thread_refresh(struct prs_thread *t, struct prs_ticket *tk);

/*
 * Teardown: leave every domain (without republishing: the handle is
 * retired) and retire the handle (prs_handle_fini). The caller must have
 * switched the thread out for good. t's memory (handle, own storage) may
 * be reused once prs_handle_busy(&t->h) == 0, i.e. once every CPU has
 * switched to another thread; before that a new thread at the same
 * address could be mistaken for the old one by the switch's fast path.
 */
int prs_thread_fini(struct prs_thread *t);

#endif
