/* SPDX-License-Identifier: MIT */
/*
 * A thread's view, end to end: its own rangeset (the innermost layer), any
 * outer layers it shares (memory domains), each CPU's layout (statics and
 * dynamic base), and the handle the switch path reads. Grant/revoke change
 * the rangeset, rebuild every CPU's set with the builder into a free buffer
 * and publish it. A grant never waits for other CPUs; a revoke returns only
 * once no CPU can still run the thread with the revoked range mapped
 * (invariant 5). All of it runs under the handle's writer lock, so two
 * callers changing one thread are serialized; the switch path never waits.
 * On any error nothing is published and the rangeset is as it was
 * (invariant 7).
 */
#ifndef PRSCHED_THREAD_H
#define PRSCHED_THREAD_H

#include "prsched/build.h"
#include "prsched/percpu.h"
#include "prsched/publish.h"
#include "prsched/rangeset.h"

struct prs_thread {
	struct prs_handle *h;
	struct prs_system *sys;
	const struct prs_cpu_layout *layout[PRS_MAX_CPUS]; /* per CPU, outlive the thread */
	const struct prs_rangeset *outer[PRS_MAX_LAYERS];  /* shared layers, outermost first */
	unsigned nouter;
	struct prs_rangeset own; /* caller storage; changed only under the handle's lock */
};

/*
 * Set up t and publish its first version (outer layers + an empty own
 * layer) in h via prs_handle_init; h is built in place, so it must not be
 * in use (a fresh handle, or prs_handle_busy(h) == 0). layouts: one per CPU of sys (their
 * statics must encode to the images given to prs_cpu_init). Errors:
 * PRS_E_NULL, PRS_E_ARG (nouter >= PRS_MAX_LAYERS, arch mismatch), those of
 * prs_rangeset_init, prs_set_build and prs_handle_init.
 */
int prs_thread_init(struct prs_thread *t, struct prs_handle *h, struct prs_system *sys,
		    const struct prs_cpu_layout *const *layouts,
		    const struct prs_rangeset *const *outer, unsigned nouter,
		    struct prs_rangeset_entry *storage, unsigned cap);

/* Add r to the thread's own layer and publish; never waits for other CPUs. */
int prs_thread_grant(struct prs_thread *t, const struct prs_range *r);

/* Drop [base, base + size) from the own layer, publish, wait (prs_ticket_wait). */
int prs_thread_revoke(struct prs_thread *t, uint64_t base, uint64_t size);

/* Same without the wait: poll or wait on *tk (never NULL) to complete it. */
int prs_thread_revoke_async(struct prs_thread *t, uint64_t base, uint64_t size,
			    struct prs_ticket *tk);

/* Rebuild and republish after an outer layer changed (callers serialize that change). */
int prs_thread_refresh(struct prs_thread *t, struct prs_ticket *tk);

#endif
