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

/*
 * One cache line: the handle, whose writer-only part holds the thread's
 * layers (own: caller storage, changed only under the writer lock).
 */
struct prs_thread {
	struct prs_handle h;
};

/*
 * Set up t and publish its first version (outer layers + an empty own
 * layer). t->h must not be in use (fresh, or prs_handle_busy == 0 after
 * prs_thread_fini). outer[0..nouter) must outlive the thread. Errors:
 * PRS_E_NULL, PRS_E_ARG (nouter >= PRS_MAX_LAYERS), those of
 * prs_rangeset_init, prs_set_build and prs_handle_init.
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
 * Drop [base, base + size) from the own layer, publish, wait
 * (prs_ticket_wait). Never fails for lack of MPU slots; errors only for a
 * range that was not granted (PRS_E_NOENT, PRS_E_PARTIAL, ...).
 */
int prs_thread_revoke(struct prs_thread *t, uint64_t base, uint64_t size);

/* Same without the wait: poll or wait on *tk (never NULL) to complete it. */
int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk);

/* Rebuild and republish after an outer layer changed (callers serialize that change). */
int prs_thread_refresh(struct prs_thread *t, struct prs_ticket *tk);

/* Retire the thread's handle (prs_handle_fini); reuse t once prs_handle_busy(&t->h) == 0. */
int prs_thread_fini(struct prs_thread *t);

#endif
