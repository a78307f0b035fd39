/* SPDX-License-Identifier: MIT */
/* Library-internal: the summaries the switch path reads, filled at publication. */
#ifndef PRSCHED_SYNC_SEAL_H
#define PRSCHED_SYNC_SEAL_H

#include "prsched/percpu.h"
#include "prsched/publish.h"

/* Fill v->cpu[k].dyn_key for every CPU of sys (v passed prs_version_check). */
void prs_version_seal(const struct prs_system *sys, struct prs_version *v);

#endif
