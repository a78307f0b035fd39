/* SPDX-License-Identifier: MIT */
/*
 * Memory domains (Zephyr's k_mem_domain, ThreadX module memory, FreeRTOS
 * restricted tasks sharing regions): a set of partitions, in caller
 * storage, shared by member threads. The partitions are a layer of every
 * member's view (between its fixed outer layers and its own layer:
 * prsched/thread.h). Every change republishes every member it affects in
 * one call, under the system's writer lock.
 *
 * Bounds, no allocation: a domain has at most PRS_DOMAIN_MAX_MEMBERS
 * members and `cap` partitions (its storage); a thread is a member of at
 * most PRS_THREAD_MAX_DOMAINS domains; the number of domains is the
 * kernel's (each is a struct it owns). struct prs_domain is writer-only
 * state: the switch path never reads it, so it has no placement rule.
 *
 * All or nothing. A change first builds and admits (prs_set_build_admit,
 * every layer removable) the new set of EVERY member it affects into the
 * staging version and discards it; only when all pass does it rebuild each
 * member (the same inputs: the same result) and publish it, one version
 * per member. A refusal (PRS_E_UNREVOCABLE, PRS_E_NOSPACE, a rangeset
 * error) changes nothing: no partition, no membership, no published word.
 * Because every addition is admitted against every later removal, a
 * removal (of a partition, of a member) never fails for lack of slots
 * (invariant 9).
 *
 * Synchronous removal. prs_domain_remove_partition and
 * prs_domain_remove_thread return only once no CPU runs any affected
 * member with the removed memory mapped (invariant 5): each publish sends
 * the reload request to every CPU that may run that member -- not only at
 * their next switch (zephyr#27785) -- and the call waits on every ticket.
 * The new sets are rebuilt from the remaining partitions, so the removed
 * one is never written to any MPU again (zephyr#115177). The _async forms
 * return the tickets instead (struct prs_tickets: one per member).
 *
 * Errors common to every call: PRS_E_NULL; PRS_E_ARG (a thread or domain of
 * another system). Waiting calls wait with the system's .relax hook.
 */
#ifndef PRSCHED_DOMAIN_H
#define PRSCHED_DOMAIN_H

#include "prsched/publish.h"
#include "prsched/rangeset.h"
#include "prsched/thread.h"

/* Members one domain can have: one ticket each in a struct prs_tickets. */
#define PRS_DOMAIN_MAX_MEMBERS PRS_TICKETS_MAX

struct prs_domain {
	struct prs_rangeset parts; /* the partitions, caller storage */
	struct prs_system *sys;
	uint32_t n;                /* members */
	struct prs_thread *member[PRS_DOMAIN_MAX_MEMBERS];
};

/*
 * An empty domain of sys with room for cap partitions in storage. The CPUs
 * must be added first (the arch comes from them: PRS_E_NOCPU otherwise).
 * Errors also those of prs_rangeset_init.
 */
int prs_domain_init(struct prs_domain *d, struct prs_system *sys,
		    struct prs_rangeset_entry *storage, unsigned cap);

/*
 * Add partition r (an identical one takes a reference) and republish every
 * member; never waits. ts may be NULL; otherwise it receives one ticket
 * per member (complete: the partition is in force wherever they run).
 * Errors: those of prs_rangeset_add, and for any member PRS_E_NOSPACE,
 * PRS_E_UNREVOCABLE, PRS_E_STATIC, PRS_E_CONFLICT (nothing changes).
 */
int prs_domain_add_partition(struct prs_domain *d, const struct prs_range *r,
			     struct prs_tickets *ts);

/*
 * Drop one reference on the partition [base, base + size), republish every
 * member, and wait until no CPU runs a member with it mapped. Never fails
 * for lack of slots; PRS_E_NOENT, PRS_E_PARTIAL, ... for a range that is
 * not a partition.
 */
int prs_domain_remove_partition(struct prs_domain *d, uint64_t base, uint64_t size);
int prs_domain_remove_partition_async(struct prs_domain *d, uint64_t base, uint64_t size,
				      struct prs_tickets *ts);

/*
 * Make t a member: its view gains the partitions (one publish; never
 * waits; tk may be NULL). Errors: PRS_E_ARG (t is a member already),
 * PRS_E_FULL (the domain has PRS_DOMAIN_MAX_MEMBERS members, or t is in
 * PRS_THREAD_MAX_DOMAINS domains), PRS_E_NOSPACE, PRS_E_UNREVOCABLE.
 */
int prs_domain_add_thread(struct prs_domain *d, struct prs_thread *t, struct prs_ticket *tk);

/*
 * t leaves d: republished without the partitions, and the call waits until
 * no CPU runs t with them mapped. Never fails for lack of slots; PRS_E_NOENT
 * if t is not a member.
 */
int prs_domain_remove_thread(struct prs_domain *d, struct prs_thread *t);
int prs_domain_remove_thread_async(struct prs_domain *d, struct prs_thread *t,
				   struct prs_ticket *tk);

#endif
