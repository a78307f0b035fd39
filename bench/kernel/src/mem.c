/* SPDX-License-Identifier: MIT */
/*
 * Thread-level glue between the kernel and prsched: a grant or revoke edits
 * a scratch copy of the thread's private rangeset, builds the new set for
 * each layout class into the staging version prs_publish_begin hands out,
 * publishes it, and only then adopts the edited copy. Any failure
 * (rangeset rule, builder, version check) leaves the partitions, the
 * published word and every loaded set untouched: the scratch copy is
 * dropped and the staging sets with prs_publish_abort (or by the failing
 * commit itself). The caller then waits on the ticket, so a
 * revoke returns only once no CPU can run the thread with the old set.
 *
 * Reload requests: prsched's reload callback marks each target CPU's
 * reload_pending word and sends it the reload SGI. The SGI handler and the
 * ticket wait both serve it (clear the word, prs_reload): a core that waits
 * on a ticket with IRQs masked -- every kernel path masks them -- still
 * reloads for the other core's writers, so two cores revoking each other's
 * threads at once cannot deadlock.
 */
#include <stddef.h>

#include "gic.h"
#include "internal.h"
#include "prsched/error.h"

/*
 * Spin lock over the kernel's own state of an edit: t's partitions and the
 * scratch copies (prsched's writer lock, taken inside it by
 * prs_publish_begin, covers only the library's staging sets, and is
 * released by commit before the edited partitions are adopted). Short; IRQs
 * masked by callers.
 */
static void config_lock(void)
{
	uint32_t unlocked = 0;

	/* Acquire: the previous holder's rangeset and scratch writes happen-before ours. */
	while (!atomic_compare_exchange_weak_explicit(&prs_k.config_lock, &unlocked, 1u,
						      memory_order_acquire,
						      memory_order_relaxed)) {
		unlocked = 0;
		prs_relax();
	}
}

static void config_unlock(void)
{
	/* Release: pairs with the next holder's acquire. */
	atomic_store_explicit(&prs_k.config_lock, 0u, memory_order_release);
}

/*
 * Build t's set into every layout class of v: CPUs of one class share one
 * set (prs_version_set returns the same pointer), which is built once.
 */
int prs_k_build_version(struct prs_k_thread *t, const struct prs_rangeset *priv,
			struct prs_version *v)
{
	const struct prs_rangeset *layers[3];
	struct prs_set *done[RT_MAX_CPUS];
	unsigned n = 0;

	if (t->domain)
		layers[n++] = &t->domain->rs; /* outermost: inner layers split it */
	layers[n++] = priv;
	layers[n++] = &t->stack; /* innermost: the guard hole wins */
	for (unsigned c = 0; c < prs_k.ncpus; c++) {
		struct prs_set *s = prs_version_set(v, &prs_k.sys, c);
		unsigned k = 0;
		int err;

		while (k < c && done[k] != s)
			k++;
		done[c] = s;
		if (k < c)
			continue; /* another CPU of this class */
		err = prs_set_build(&prs_k.layout, layers, n, s);
		if (err != PRS_OK)
			return err;
	}
	return PRS_OK;
}

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
	prs_reload(&kc->pc);
}

static void ticket_wait(struct prs_ticket *tk)
{
	struct prs_k_cpu *kc = &prs_k_cpus[rt_cpu_id()];

	while (prs_ticket_poll(tk) == PRS_E_AGAIN) {
		/* seq_cst: pairs with prs_k_reload_request's store. */
		if (atomic_load_explicit(&kc->reload_pending, memory_order_seq_cst))
			prs_k_serve_reload(kc);
		prs_relax();
	}
}

static void rangeset_copy(struct prs_rangeset *dst, struct prs_rangeset_entry *dst_e,
			  const struct prs_rangeset *src)
{
	for (unsigned i = 0; i < src->n; i++)
		dst_e[i] = src->e[i];
	*dst = *src;
	dst->e = dst_e;
}

/* Grant (r != NULL) or revoke [base, base + size) for t, all or nothing. */
static int edit(struct prs_k_thread *t, const struct prs_range *r, uint64_t base, uint64_t size)
{
	struct prs_rangeset scratch;
	struct prs_ticket tk;
	struct prs_version *v;
	int err;

	config_lock();
	rangeset_copy(&scratch, prs_k.scratch_e, &t->priv);
	err = r ? prs_rangeset_add(&scratch, r) : prs_rangeset_remove(&scratch, base, size);
	if (err != PRS_OK)
		goto out;
	/* The staging sets, prefilled with t's current ones: rebuilt whole below. */
	v = prs_publish_begin(&t->h);
	err = v ? prs_k_build_version(t, &scratch, v) : PRS_E_NULL;
	if (err != PRS_OK) {
		if (v)
			prs_publish_abort(&t->h);
		goto out;
	}
	err = prs_publish_commit(&t->h, &tk);
	if (err == PRS_OK)
		rangeset_copy(&t->priv, t->priv_e, &scratch);
out:
	config_unlock();
	if (err == PRS_OK)
		ticket_wait(&tk);
	return err;
}

int prs_k_grant(struct prs_k_thread *t, const struct prs_range *r)
{
	uint32_t irq;
	int err;

	if (!t || !r)
		return PRS_E_NULL;
	/* Masked: a tick must not switch to a thread that wants the config lock we hold. */
	irq = prs_k_irq_save();
	err = edit(t, r, 0, 0);
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
	err = edit(t, NULL, base, size);
	if (err == PRS_OK)
		prs_k_cpus[rt_cpu_id()].st.revokes++;
	prs_k_irq_restore(irq);
	return err;
}
