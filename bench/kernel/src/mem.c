/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of prsched, through its public API only: thread
 * grants and revokes (prs_thread_*), memory domains (prs_domain_*), and the
 * three hooks prsched's system config takes from a kernel:
 *
 *   reload   mark each target core's reload_pending word, send it the
 *            reload SGI; the SGI handler serves it (prs_k_serve_reload);
 *   relax    one round of a writer's wait (a ticket, the writer lock, a
 *            pool scan): serve this core's own pending reload, then spin.
 *            Every kernel path runs with IRQs masked, so a core waiting on
 *            a ticket that names itself -- or on a writer that waits for
 *            it -- still reloads: two cores revoking each other's threads
 *            at once cannot deadlock;
 *   cpu_id   the core's index, the key of prsched's writer lock (a filter
 *            lock over plain loads and stores: no exclusives on the R52).
 *
 * prsched's writer lock covers every rangeset a writer edits; all or
 * nothing is the library's (a refused change leaves the layers, the
 * published words and every loaded set as they were).
 */
#include <stddef.h>

#include "gic.h"
#include "internal.h"
#include "prsched/error.h"

void prs_k_reload_request(void *ctx, uint32_t mask)
{
	(void)ctx;
	for (unsigned c = 0; c < prs_k.ncpus; c++)
		if (mask & (1u << c))
			/*
			 * seq_cst: after the publish in S, so a core whose
			 * clearing store follows this one in S then reads the
			 * new word in prs_reload (see prs_k_serve_reload).
			 */
			atomic_store_explicit(&prs_k_cpus[c].reload_pending, 1u,
					      memory_order_seq_cst);
	prs_k_gic_sgi(PRS_K_SGI_RELOAD, mask); /* DSB first: the word is visible */
}

/*
 * IRQs masked (prs_reload is not reentrant on one core). Clearing before
 * prs_reload's load of the word: a request set before the clear (earlier in
 * S) published earlier still, so the load sees that publish; one set after
 * leaves the word set and is served again (or by its SGI).
 */
void prs_k_serve_reload(struct prs_k_cpu *kc)
{
	/* seq_cst: ordered against the requesters' seq_cst stores and the word load. */
	atomic_store_explicit(&kc->reload_pending, 0u, memory_order_seq_cst);
	if (kc->cur)
		kc->cur->events++; /* the reload may rewrite its slots */
	prs_reload(&kc->pc);
}

void prs_k_wait_relax(void *ctx)
{
	struct prs_k_cpu *kc = &prs_k_cpus[rt_cpu_id()];

	(void)ctx;
	/* seq_cst: pairs with prs_k_reload_request's store. */
	if (atomic_load_explicit(&kc->reload_pending, memory_order_seq_cst))
		prs_k_serve_reload(kc);
	prs_relax();
}

unsigned prs_k_cpu_index(void *ctx)
{
	(void)ctx;
	return rt_cpu_id();
}

int prs_k_grant(struct prs_k_thread *t, const struct prs_range *r)
{
	uint32_t irq;
	int err;

	if (!t || !r)
		return PRS_E_NULL;
	/* Masked: no tick may switch this core to another writer while we hold the lock. */
	irq = prs_k_irq_save();
	err = prs_thread_grant(&t->th, r);
	if (err == PRS_OK)
		prs_k_cpus[rt_cpu_id()].st.grants++;
	prs_k_irq_restore(irq);
	return err;
}

int prs_k_revoke(struct prs_k_thread *t, uint64_t base, uint64_t size)
{
	uint32_t irq;
	int err;

	if (!t)
		return PRS_E_NULL;
	irq = prs_k_irq_save();
	err = prs_thread_revoke(&t->th, base, size); /* waits through prs_k_wait_relax */
	if (err == PRS_OK)
		prs_k_cpus[rt_cpu_id()].st.revokes++;
	prs_k_irq_restore(irq);
	return err;
}

int prs_k_domain_add(struct prs_k_domain *d, const struct prs_range *r)
{
	uint32_t irq;
	int err;

	if (!d)
		return PRS_E_NULL;
	irq = prs_k_irq_save();
	err = prs_domain_add_partition(&d->d, r, NULL);
	prs_k_irq_restore(irq);
	return err;
}

int prs_k_domain_remove(struct prs_k_domain *d, uint64_t base, uint64_t size)
{
	uint32_t irq;
	int err;

	if (!d)
		return PRS_E_NULL;
	irq = prs_k_irq_save();
	err = prs_domain_remove_partition(&d->d, base, size);
	prs_k_irq_restore(irq);
	return err;
}

int prs_k_domain_join(struct prs_k_domain *d, struct prs_k_thread *t)
{
	uint32_t irq;
	int err;

	if (!d || !t)
		return PRS_E_NULL;
	irq = prs_k_irq_save();
	err = prs_domain_add_thread(&d->d, &t->th, NULL);
	prs_k_irq_restore(irq);
	return err;
}

int prs_k_domain_leave(struct prs_k_domain *d, struct prs_k_thread *t)
{
	uint32_t irq;
	int err;

	if (!d || !t)
		return PRS_E_NULL;
	irq = prs_k_irq_save();
	err = prs_domain_remove_thread(&d->d, &t->th);
	prs_k_irq_restore(irq);
	return err;
}
