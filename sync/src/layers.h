/* SPDX-License-Identifier: MIT */
/* Library-internal: a thread's layers into the staging version (thread.c, domain.c). */
#ifndef PRSCHED_SYNC_LAYERS_H
#define PRSCHED_SYNC_LAYERS_H

#include "prsched/domain.h"
#include "prsched/thread.h"

/*
 * Under the writer lock: build and admit every class's set of t into
 * sys->stage from its current layers, leaving out domain `skip` (may be
 * NULL; a thread that is leaving it), then prs_version_check.
 */
int prs_thread_stage(const struct prs_thread *t, struct prs_system *sys,
		     const struct prs_domain *skip);

/* Under the writer lock: drop d from t's layers and t from d's members (t is a member). */
void prs_domain_unlink(struct prs_domain *d, struct prs_thread *t);

#endif
