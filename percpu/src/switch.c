/* SPDX-License-Identifier: MIT */
/*
 * The switch and reload entry points (IRQs off, never wait): the reader
 * steps of the publication protocol (sync/src/reader.h: R1 read the word;
 * fast path if this CPU holds it; R2-R5 announce; R6 copy; R7-R8 record and
 * end the announce) around the copy into the MPU (copy.h). Proofs: the
 * protocol in sync/src/publish.c, the write order in copy.h.
 */
#include "prsched/percpu.h"
#include "copy.h"
#include "../../sync/src/reader.h"

/* R2-R8 for a version this CPU does not hold. */
static __attribute__((noinline)) void switch_copy(struct prs_cpu *c, struct prs_handle *h,
						  uint32_t w1)
{
	uint32_t w2 = prs_read_pin(&c->rd, h, w1);

	prs_copy(c, prs_read_set(&c->rd, w2));
	prs_read_done(&c->rd, h, w2);
}

void prs_switch(struct prs_cpu *c, struct prs_handle *h)
{
	uint32_t w = prs_read_word(h);

	if (prs_read_holds(&c->rd, h, w)) {
		PRS_STAT_ADD(c, fast, 1u);
		return;
	}
	PRS_TEST_HOOK(c->rd.id, PRS_HOOK_READ_W1);
	PRS_STAT_ADD(c, slow, 1u);
	switch_copy(c, h, w);
}

void prs_reload(struct prs_cpu *c)
{
	/* Relaxed: written only by this CPU. */
	struct prs_handle *h = prs_own_load_h(&c->rd.loaded_h);
	uint32_t w;

	PRS_STAT_ADD(c, reloads, 1u);
	if (!h)
		return;
	/* seq_cst (R1): the IPI orders this after the writer's publish (kernel contract). */
	w = prs_read_word(h);
	if (w == prs_own_load_w(&c->rd.loaded_w))
		return;
	PRS_STAT_ADD(c, reload_copies, 1u);
	switch_copy(c, h, w);
}
