/* SPDX-License-Identifier: MIT */
/*
 * The switch path's MPU writes: which slots, in which order, how many
 * writes and barriers, checked against the host MPU model (every mix of
 * every batch) or, on target, against the registers read back.
 */
#include "fixture.h"

static struct prs_handle h1, h2;
static struct prs_version va, vb;
static struct prs_set cur_buf;

/* The set CPU k holds when running the current version of h. */
static const struct prs_set *cur_set(struct prs_handle *h, unsigned k)
{
	fx_current(h, k, &cur_buf);
	return &cur_buf;
}

static void check_model_clean(unsigned k)
{
#if defined(PRS_BACKEND_HOST)
	if (fx_mpu[k].violations)
		prs_test_printf("  model: %s\n", fx_mpu[k].first_violation);
	PRS_CHECK_EQ(fx_mpu[k].violations, 0);
#else
	(void)k;
#endif
}

/* The model's event log of CPU k since the last call, compared with `want` (host only). */
static void expect_log(unsigned k, const char *want)
{
#if defined(PRS_BACKEND_HOST)
	const char *got = fx_mpu[k].log;
	unsigned i = 0;

	while (want[i] && got[i] == want[i])
		i++;
	if (want[i] || got[i]) {
		prs_test_printf("  MPU events: got \"%s\", want \"%s\"\n", got, want);
		PRS_CHECK(0);
	}
	fx_mpu[k].nlog = 0;
	fx_mpu[k].log[0] = 0;
#else
	(void)k;
	(void)want;
#endif
}

static void setup(const struct fx_region *r, unsigned n)
{
	fx_init(2, 1);
	fx_version(&va, r, n);
	PRS_CHECK_EQ(prs_handle_init(&h1, &fx_sys.sys, &va), PRS_OK);
}

/* The events of one blind copy over n slots: DSB, (PRBAR, PRLAR) per slot, ISB. */
static char logbuf[256];

/* Slots a blind copy over n slots (from nstatic) writes: up to the next check (PRS_COPY_STEP). */
static unsigned blind(unsigned n)
{
	unsigned top = fx_nstatic + n;

	return (top + PRS_COPY_STEP - 1u) / PRS_COPY_STEP * PRS_COPY_STEP - fx_nstatic;
}

static const char *log_blind(unsigned n)
{
	unsigned j = 0;

	n = blind(n);
	logbuf[j++] = 'D';
	for (unsigned i = 0; i < n; i++) {
		logbuf[j++] = 'B';
		logbuf[j++] = 'L';
	}
	logbuf[j++] = 'I';
	logbuf[j] = 0;
	return logbuf;
}

/* An ordered copy: DSB, one register per slot (`first`), ISB, then the blind pass. */
static const char *log_ordered(const char *first)
{
	unsigned j = 0, n = 0;

	logbuf[j++] = 'D';
	for (; first[n]; n++)
		logbuf[j++] = first[n];
	logbuf[j++] = 'I';
	for (unsigned i = 0; i < blind(n); i++) {
		logbuf[j++] = 'B';
		logbuf[j++] = 'L';
	}
	logbuf[j++] = 'I';
	logbuf[j] = 0;
	return logbuf;
}

/* "BBB...B": the ordered phase of a first switch (every dynamic slot disabled at init). */
static const char *all_bar(void)
{
	static char bars[PRS_MAX_REGIONS + 1];
	unsigned n = fx_nslots - fx_nstatic;

	for (unsigned i = 0; i < n; i++)
		bars[i] = 'B';
	bars[n] = 0;
	return bars;
}

/* Switch CPU 0 to h1 for the first time and check the ordered copy over every dynamic slot. */
static void first_switch(void)
{
	uint32_t w = fx_writes(0), b = fx_barriers(0);

	fx_switch(0, &h1);
	expect_log(0, log_ordered(all_bar()));
	PRS_CHECK_EQ(fx_writes(0) - w, 3u * (fx_nslots - fx_nstatic));
	PRS_CHECK_EQ(fx_barriers(0) - b, 3);
}

/*
 * Same handle, same word: the fast path writes nothing and issues no
 * barrier. An identical set through another handle is copied blind.
 */
static void t_unchanged_zero_writes(void)
{
	struct fx_region r[4];
	uint32_t w, b;

	fx_regions(r, 4, FX_HOME, 0x1000u, 0x10000u, 1);
	setup(r, 4);
	fx_version(&vb, r, 4);
	PRS_CHECK_EQ(prs_handle_init(&h2, &fx_sys.sys, &vb), PRS_OK);
	first_switch();
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	w = fx_writes(0);
	b = fx_barriers(0);
	fx_switch(0, &h1);
	PRS_CHECK_EQ(atomic_load(&fx_cpu[0].stats.fast), 1);
	PRS_CHECK_EQ(fx_writes(0), w);
	PRS_CHECK_EQ(fx_barriers(0), b);
	expect_log(0, "");
	fx_switch(0, &h2);
	PRS_CHECK_EQ(atomic_load(&fx_cpu[0].stats.slow), 2);
	PRS_CHECK_EQ(fx_writes(0) - w, 2u * blind(4));
	expect_log(0, log_blind(4));
	PRS_CHECK_EQ(fx_barriers(0) - b, 2);
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h2, 0)));
	check_model_clean(0);
}

/*
 * The first switch after init: the dynamic slots' contents are unknown, so
 * every one is rewritten through the ordered phase (read back, first
 * register, ISB) and the blind pass: 3 writes a slot, 3 barriers.
 */
static void t_first_switch_ordered(void)
{
	struct fx_region r[3];

	fx_regions(r, 3, FX_HOME, 0x1000u, 0x10000u, 1);
	setup(r, 3);
	fx_switch(1, &h1);
	PRS_CHECK_EQ(fx_writes(1), 3u * (fx_nslots - fx_nstatic));
	PRS_CHECK_EQ(fx_barriers(1), 3);
	PRS_CHECK(fx_mpu_holds(1, cur_set(&h1, 1)));
	check_model_clean(1);
}

static void full_change(unsigned n)
{
	struct fx_region a[FX_NDYN_MAX], b[FX_NDYN_MAX];
	uint32_t w, bar;

	fx_regions(a, n, FX_HOME, 0x1000u, 0x10000u, 1);
	fx_regions(b, n, FX_HOME + 0x80000u, 0x2000u, 0x10000u, 2);
	setup(a, n);
	first_switch();
	w = fx_writes(0);
	bar = fx_barriers(0);
	PRS_CHECK_EQ(fx_publish(&h1, b, n, NULL), PRS_OK);
	fx_switch(0, &h1);
	/* Every region in the home gap: the blind copy, no compare, 2 barriers. */
	expect_log(0, log_blind(n));
	PRS_CHECK_EQ(fx_writes(0) - w, 2u * blind(n));
	PRS_CHECK_EQ(fx_barriers(0) - bar, 2);
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	check_model_clean(0);
}

/* Every region replaced within the home gap: exactly 2N writes and 2 barriers. */
static void t_full_change_counts(void)
{
	full_change(8);
	full_change(fx_ndyn);
	full_change(1);
}

/*
 * A partial change costs what a full one does: the copy writes every slot of
 * the new set without comparing (the fast path is the no-change case).
 */
static void t_partial_change(void)
{
	struct fx_region a[6], b[6];
	uint32_t w, bar;

	fx_regions(a, 6, FX_HOME, 0x1000u, 0x10000u, 1);
	for (unsigned i = 0; i < 6; i++)
		b[i] = a[i];
	b[1].limit += 0x1000u;
	b[4].attr = 3;
	b[2].base += 0x40u;
	b[3].ap = 2;
	setup(a, 6);
	first_switch();
	w = fx_writes(0);
	bar = fx_barriers(0);
	PRS_CHECK_EQ(fx_publish(&h1, b, 6, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(6));
	PRS_CHECK_EQ(fx_writes(0) - w, 2u * blind(6));
	PRS_CHECK_EQ(fx_barriers(0) - bar, 2);
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	check_model_clean(0);
}

/*
 * Shrinking writes (residue, 0) to the slots the old set used beyond the
 * new end; growing back writes up to the new end only.
 */
static void t_shrink_and_regrow(void)
{
	struct fx_region a[8];
	uint32_t w, bar;

	fx_regions(a, 8, FX_HOME, 0x1000u, 0x10000u, 1);
	setup(a, 8);
	first_switch();
	w = fx_writes(0);
	bar = fx_barriers(0);
	PRS_CHECK_EQ(fx_publish(&h1, a, 3, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(8));
	PRS_CHECK_EQ(fx_writes(0) - w, 2u * blind(8));
	PRS_CHECK_EQ(fx_barriers(0) - bar, 2);
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	w = fx_writes(0);
	PRS_CHECK_EQ(fx_publish(&h1, a, 8, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(8));
	PRS_CHECK_EQ(fx_publish(&h1, a, 2, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(8));
	PRS_CHECK_EQ(fx_publish(&h1, a, 3, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(3));
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	check_model_clean(0);
}

/*
 * A region outside the home gap: the ordered copy, with the register whose
 * cross pair stays inside a region first, one more ISB; and again on the
 * way back (the CPU remembers that a slot is away).
 */
static void t_cross_gap(void)
{
	struct fx_region a[2], b[2];
	uint32_t w, bar;

	fx_regions(a, 2, FX_HOME, 0x1000u, 0x10000u, 1); /* gap 1 (home) */
	b[0] = a[0];
	fx_regions(&b[1], 1, 0x30100000u, 0x1000u, 0x10000u, 1); /* gap 3 */
	setup(a, 2);
	first_switch();
	PRS_CHECK_EQ(fx_publish(&h1, b, 2, NULL), PRS_OK);
	w = fx_writes(0);
	bar = fx_barriers(0);
	fx_switch(0, &h1);
	/* Slot nstatic: same base, PRBAR; slot nstatic+1 moves up: PRBAR first. */
	expect_log(0, log_ordered("BB"));
	PRS_CHECK_EQ(fx_writes(0) - w, 6);
	PRS_CHECK_EQ(fx_barriers(0) - bar, 3);
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	/* And back down: the moving slot's PRLAR first. */
	PRS_CHECK_EQ(fx_publish(&h1, a, 2, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_ordered("BL"));
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	/* Home again: the next change is blind. */
	PRS_CHECK_EQ(fx_publish(&h1, a, 1, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_blind(2));
	/* Away and disabled again: an away region below the old end is disabled PRLAR first. */
	PRS_CHECK_EQ(fx_publish(&h1, b, 2, NULL), PRS_OK);
	fx_switch(0, &h1);
	expect_log(0, log_ordered("BB"));
	PRS_CHECK_EQ(fx_publish(&h1, b, 1, NULL), PRS_OK);
	fx_switch(0, &h1);
	/* slot nstatic+1: old base in gap 3, new one the residue in gap 1 (below): PRLAR = 0 first. */
	expect_log(0, log_ordered("BL"));
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	check_model_clean(0);
}

#if defined(PRS_BACKEND_HOST)
/* The model catches a write order that can transiently cover static memory. */
static void wrong_order(unsigned flag)
{
	struct fx_region a[3], b[3];

	/* Down from gap 3 to gap 1: disable-first in one batch exposes new base + old limit. */
	fx_regions(a, 3, 0x30100000u, 0x1000u, 0x10000u, 1); /* gap 3 */
	fx_regions(b, 3, FX_HOME, 0x1000u, 0x10000u, 1);     /* gap 1 */
	setup(a, 3);
	fx_switch(0, &h1);
	PRS_CHECK_EQ(fx_mpu[0].violations, 0);
	prs_test_cpu[0].flags = flag;
	PRS_CHECK_EQ(fx_publish(&h1, b, 3, NULL), PRS_OK);
	fx_switch(0, &h1);
	prs_test_cpu[0].flags = 0;
	/* The end state is right; the intermediate mixes were not. */
	PRS_CHECK(fx_mpu_holds(0, cur_set(&h1, 0)));
	PRS_CHECK(fx_mpu[0].violations > 0);
	prs_test_printf("  caught (flag %u): %s\n", flag, fx_mpu[0].first_violation);
}

static void t_model_catches_wrong_order(void)
{
	wrong_order(PRS_TEST_ALWAYS_BLIND);
	wrong_order(PRS_TEST_BAR_FIRST);
	wrong_order(PRS_TEST_DISABLE_FIRST);
}

/* The model's own literal check agrees: a cross pair over static memory is a double match. */
static void t_model_literal_mix(void)
{
	struct prs_mpu_model *m = &fx_mpu[0];
	uint8_t take[2] = { 1, 0 };
	prs_reg_t bar[PRS_MAX_REGIONS], lar[PRS_MAX_REGIONS];
	unsigned slot = 0;

	fx_init(1, 0);
	/* slot 5: old region in gap 1; new one in gap 3; only the new PRLAR applied. */
	m->prbar[5] = fx_prbar(0x10100000u, 0, 1, 1);
	m->prlar[5] = fx_prlar(0x10100FFFu, 0);
	prs_mpu_model_dsb(m);
	prs_mpu_model_write(m, 1, 5, fx_prlar(0x30100FFFu, 0));
	prs_mpu_model_write(m, 0, 5, fx_prbar(0x30100000u, 0, 1, 1));
	prs_mpu_model_mix(m, take, bar, lar);
	PRS_CHECK_EQ(prs_mpu_model_match(m, bar, lar, 0x20000040u, &slot), 2);
	PRS_CHECK(prs_mpu_model_check_pending(m) > 0);
	m->violations = 0;
	prs_mpu_model_isb(m);
	PRS_CHECK_EQ(prs_mpu_model_match(m, m->prbar, m->prlar, 0x20000040u, &slot), 1);
	PRS_CHECK_EQ(slot, 1);
	PRS_CHECK_EQ(prs_mpu_model_match(m, m->prbar, m->prlar, 0x30100040u, &slot), 1);
	PRS_CHECK_EQ(slot, 5);
}
#endif

/* Random sets in 1-2 gaps, random switches and reloads across CPUs and two handles. */
static void t_random_switches(void)
{
	struct fx_region r[FX_NDYN_MAX];
	uint64_t rng = prs_test_seed();
	unsigned n;

	n = fx_random_regions(&rng, r, fx_ndyn);
	setup(r, n);
	n = fx_random_regions(&rng, r, fx_ndyn);
	fx_version(&vb, r, n);
	PRS_CHECK_EQ(prs_handle_init(&h2, &fx_sys.sys, &vb), PRS_OK);
	for (unsigned it = 0; it < 400 && !prs_test_failed(); it++) {
		struct prs_handle *h = prs_rand_below(&rng, 2) ? &h1 : &h2;
		unsigned k = (unsigned)prs_rand_below(&rng, 2);

		switch (prs_rand_below(&rng, 3)) {
		case 0:
			n = fx_random_regions(&rng, r, fx_ndyn);
			PRS_CHECK_EQ(fx_publish(h, r, n, NULL), PRS_OK);
			break;
		case 1:
			fx_switch(k, h);
			PRS_CHECK(fx_mpu_holds(k, cur_set(h, k)));
			break;
		default: {
			struct prs_handle *lh = atomic_load(&fx_cpu[k].rd.loaded_h);

			fx_reload(k);
			if (lh)
				PRS_CHECK(fx_mpu_holds(k, cur_set(lh, k)));
			break;
		}
		}
		check_model_clean(k);
	}
#if defined(PRS_BACKEND_HOST)
	prs_test_printf("  model: %lu batches, %lu mixes checked\n",
			fx_mpu[0].batches_checked + fx_mpu[1].batches_checked,
			fx_mpu[0].states_checked + fx_mpu[1].states_checked);
#endif
}

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_unchanged_zero_writes),
	PRS_TEST_ENTRY(t_first_switch_ordered),
	PRS_TEST_ENTRY(t_full_change_counts),
	PRS_TEST_ENTRY(t_partial_change),
	PRS_TEST_ENTRY(t_shrink_and_regrow),
	PRS_TEST_ENTRY(t_cross_gap),
#if defined(PRS_BACKEND_HOST)
	PRS_TEST_ENTRY(t_model_catches_wrong_order),
	PRS_TEST_ENTRY(t_model_literal_mix),
#endif
	PRS_TEST_ENTRY(t_random_switches),
};

PRS_TEST_MAIN("sync.switch", tests)
