/* SPDX-License-Identifier: MIT */
/*
 * Host MPU model (see prsched/mpu_model.h).
 *
 * The check runs two ways over each batch:
 *  - exact, per slot: the bad outcome (a non-static enabled region overlapping
 *    a touched range) depends on one slot's PRBAR/PRLAR pair only, so trying
 *    every (old or pending PRBAR) x (old or pending PRLAR) of every slot covers
 *    every subset of the batch, however large, in a few dozen comparisons;
 *  - literally: the whole MPU in every subset of pending writes (batches of
 *    up to PRS_MPU_MODEL_EXHAUSTIVE writes) or a random sample of subsets,
 *    counting for each touched range the enabled regions that overlap it:
 *    exactly one, and it must contain the range.
 * The second is redundant with the first by construction; it is kept as an
 * independent cross-check of the first's reasoning.
 */
#include <stdio.h>
#include <string.h>
#include "prsched/mpu_model.h"
#include "prsched/region.h"


int prs_mpu_model_region(uint8_t arch, prs_reg_t prbar, prs_reg_t prlar,
			 struct prs_mpu_range *r)
{
	/* The library's one decoder (lib/src/region.c). */
	return prs_reg_span((enum prs_arch)arch, prbar, prlar, &r->base, &r->limit);
}

prs_reg_t prs_mpu_model_read(void *mv, int lar, unsigned slot)
{
	const struct prs_mpu_model *m = mv;

	for (unsigned i = m->npend; i-- > 0;)
		if (m->pend[i].slot == slot && m->pend[i].lar == (uint8_t)lar)
			return m->pend[i].val;
	return lar ? m->prlar[slot] : m->prbar[slot];
}

void prs_mpu_model_init(struct prs_mpu_model *m, const struct prs_set *image)
{
	memset(m, 0, sizeof(*m));
	m->nslots = image->nslots;
	m->nstatic = image->nstatic;
	m->arch = image->arch;
	memcpy(m->prbar, image->prbar, sizeof(m->prbar));
	memcpy(m->prlar, image->prlar, sizeof(m->prlar));
	m->rng = 0x2545F4914F6CDD1Dull;
	for (unsigned i = 0; i < image->nstatic && m->ntouched < PRS_MPU_MODEL_TOUCHED; i++) {
		struct prs_mpu_range r;

		if (prs_mpu_model_region(m->arch, image->prbar[i], image->prlar[i], &r))
			m->touched[m->ntouched++] = r;
	}
}

static void violation(struct prs_mpu_model *m, const char *what, unsigned slot,
		      const struct prs_mpu_range *r)
{
	if (!m->violations)
		(void)snprintf(m->first_violation, sizeof(m->first_violation),
			       "%s: slot %u [0x%llx, 0x%llx]", what, slot,
			       (unsigned long long)r->base, (unsigned long long)r->limit);
	m->violations++;
}

static void log_event(struct prs_mpu_model *m, char e)
{
	if (m->nlog + 1 < sizeof(m->log)) {
		m->log[m->nlog++] = e;
		m->log[m->nlog] = 0;
	}
}

void prs_mpu_model_write(void *mv, int lar, unsigned slot, prs_reg_t val)
{
	struct prs_mpu_model *m = mv;
	struct prs_mpu_range none = { 0, 0 };

	m->writes++;
	if (slot >= m->nslots || slot < m->nstatic)
		violation(m, "write to a static or absent slot", slot, &none);
	log_event(m, lar ? 'L' : 'B');
	if (m->npend >= PRS_MPU_MODEL_PENDING) {
		violation(m, "pending-write queue overflow", slot, &none);
		return;
	}
	m->pend[m->npend].lar = (uint8_t)(lar != 0);
	m->pend[m->npend].slot = (uint8_t)slot;
	m->pend[m->npend].val = val;
	m->npend++;
	if (m->on_write)
		m->on_write(m, m->on_write_arg);
}

void prs_mpu_model_dsb(void *mv)
{
	struct prs_mpu_model *m = mv;

	m->dsbs++;
	log_event(m, 'D');
}

void prs_mpu_model_mix(const struct prs_mpu_model *m, const uint8_t *take,
		       prs_reg_t *prbar, prs_reg_t *prlar)
{
	memcpy(prbar, m->prbar, sizeof(m->prbar));
	memcpy(prlar, m->prlar, sizeof(m->prlar));
	for (unsigned i = 0; i < m->npend; i++) {
		const struct prs_mpu_write *w = &m->pend[i];

		if (!take[i] || w->slot >= PRS_MAX_REGIONS)
			continue;
		if (w->lar)
			prlar[w->slot] = w->val;
		else
			prbar[w->slot] = w->val;
	}
}

unsigned prs_mpu_model_match(const struct prs_mpu_model *m, const prs_reg_t *prbar,
			     const prs_reg_t *prlar, uint64_t addr, unsigned *slot)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nslots; i++) {
		struct prs_mpu_range r;

		if (!prs_mpu_model_region(m->arch, prbar[i], prlar[i], &r))
			continue;
		if (addr < r.base || addr > r.limit)
			continue;
		if (n++ == 0 && slot)
			*slot = i;
	}
	return n;
}

static int overlaps(const struct prs_mpu_range *a, const struct prs_mpu_range *b)
{
	return a->base <= a->limit && a->base <= b->limit && b->base <= a->limit;
}

/* Exact check of one slot: every old/pending PRBAR against every old/pending PRLAR. */
static void check_slot(struct prs_mpu_model *m, unsigned s)
{
	prs_reg_t bars[PRS_MPU_MODEL_PENDING + 1], lars[PRS_MPU_MODEL_PENDING + 1];
	unsigned nb = 0, nl = 0;

	bars[nb++] = m->prbar[s];
	lars[nl++] = m->prlar[s];
	for (unsigned i = 0; i < m->npend; i++) {
		if (m->pend[i].slot != s)
			continue;
		if (m->pend[i].lar)
			lars[nl++] = m->pend[i].val;
		else
			bars[nb++] = m->pend[i].val;
	}
	for (unsigned b = 0; b < nb; b++) {
		for (unsigned l = 0; l < nl; l++) {
			struct prs_mpu_range r;

			if (!prs_mpu_model_region(m->arch, bars[b], lars[l], &r))
				continue;
			for (unsigned t = 0; t < m->ntouched; t++)
				if (overlaps(&r, &m->touched[t]))
					violation(m, "transient region over touched memory", s, &r);
		}
	}
}

/* Literal check of one mix: each touched range overlapped by exactly one region that contains it. */
static void check_mix(struct prs_mpu_model *m, const uint8_t *take)
{
	prs_reg_t prbar[PRS_MAX_REGIONS], prlar[PRS_MAX_REGIONS];

	prs_mpu_model_mix(m, take, prbar, prlar);
	m->states_checked++;
	for (unsigned t = 0; t < m->ntouched; t++) {
		const struct prs_mpu_range *tr = &m->touched[t];
		unsigned hits = 0, covered = 0, slot = 0;

		for (unsigned i = 0; i < m->nslots; i++) {
			struct prs_mpu_range r;

			if (!prs_mpu_model_region(m->arch, prbar[i], prlar[i], &r) || !overlaps(&r, tr))
				continue;
			hits++;
			slot = i;
			covered = r.base <= tr->base && r.limit >= tr->limit;
		}
		if (hits != 1 || !covered)
			violation(m, hits > 1 ? "touched memory matched twice in a mix" :
						"touched memory not matched exactly once in a mix",
				  slot, tr);
	}
}

static uint64_t model_rand(struct prs_mpu_model *m)
{
	uint64_t x = m->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	m->rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

unsigned long prs_mpu_model_check_pending(struct prs_mpu_model *m)
{
	unsigned long before = m->violations;
	uint8_t take[PRS_MPU_MODEL_PENDING];

	m->batches_checked++;
	for (unsigned s = 0; s < m->nslots && s < PRS_MAX_REGIONS; s++)
		if (s >= m->nstatic)
			check_slot(m, s);
	if (m->npend <= PRS_MPU_MODEL_EXHAUSTIVE) {
		for (uint32_t sub = 0; sub < (1u << m->npend); sub++) {
			for (unsigned i = 0; i < m->npend; i++)
				take[i] = (uint8_t)((sub >> i) & 1u);
			check_mix(m, take);
		}
	} else {
		for (unsigned k = 0; k < PRS_MPU_MODEL_SAMPLES; k++) {
			for (unsigned i = 0; i < m->npend; i++)
				take[i] = (uint8_t)(model_rand(m) & 1u);
			check_mix(m, take);
		}
	}
	return m->violations - before;
}

void prs_mpu_model_isb(void *mv)
{
	struct prs_mpu_model *m = mv;

	m->isbs++;
	if (m->check && m->npend)
		(void)prs_mpu_model_check_pending(m);
	for (unsigned i = 0; i < m->npend; i++) {
		const struct prs_mpu_write *w = &m->pend[i];

		if (w->slot >= PRS_MAX_REGIONS)
			continue;
		if (w->lar)
			m->prlar[w->slot] = w->val;
		else
			m->prbar[w->slot] = w->val;
	}
	m->npend = 0;
	log_event(m, 'I');
}
