/* SPDX-License-Identifier: MIT */
/*
 * Publication, reload and revocation: which CPUs are asked to reload, what
 * tickets report, that commits with bad versions change nothing, that the
 * pool never hands out a current or pinned buffer, and (host, through the
 * switch path's test hooks) every interleaving point of a writer with a
 * CPU in the middle of a switch.
 */
#include "fixture.h"
#include "../../sync/src/version.h"

static struct prs_handle h1, h2;
static struct prs_version v0;

static void setup(unsigned ncpus)
{
	struct fx_region r[8];

	fx_init(ncpus, 1);
	fx_version(&v0, r, fx_tagged(r, 0));
	PRS_CHECK_EQ(prs_handle_init(&h1, &fx_sys.sys, &v0), PRS_OK);
	PRS_CHECK_EQ(prs_handle_init(&h2, &fx_sys.sys, &v0), PRS_OK);
}

static uint32_t take_reload_mask(void)
{
	return atomic_exchange(&fx_sys.reload_mask, 0u);
}

/* A CPU running the handle is asked to reload; prs_reload brings the new version. */
static void t_reload_after_republish(void)
{
	struct prs_ticket t;

	setup(2);
	fx_switch(0, &h1);
	fx_switch(1, &h2);
	fx_publish_tag(&h1, 1, &t);
	PRS_CHECK_EQ(t.mask, 1u);
	PRS_CHECK_EQ(take_reload_mask(), 1u);
	PRS_CHECK(fx_holds_tag(0, 0));
	fx_reload(1); /* not running h1: nothing to do */
	PRS_CHECK_EQ(atomic_load(&fx_cpu[1].stats.reload_copies), 0);
	fx_reload(0);
	PRS_CHECK_EQ(atomic_load(&fx_cpu[0].stats.reload_copies), 1);
	PRS_CHECK(fx_holds_tag(0, 1));
	fx_reload(0); /* already current */
	PRS_CHECK_EQ(atomic_load(&fx_cpu[0].stats.reload_copies), 1);
}

/* Revocation: the ticket stays pending until the CPU running the handle reloads or switches away. */
static void t_revoke_ticket(void)
{
	struct prs_ticket t;

	setup(2);
	fx_publish_tag(&h1, 3, NULL); /* 4 regions */
	fx_switch(0, &h1);
	fx_switch(1, &h2);
	fx_publish_tag(&h1, 2, &t); /* 3 regions: revokes one */
	PRS_CHECK_EQ(t.mask, 1u);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_E_AGAIN);
	fx_reload(1);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_E_AGAIN);
	fx_reload(0);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_OK);
	PRS_CHECK_EQ(t.mask, 0u);
	PRS_CHECK(fx_holds_tag(0, 2));
	/* Switching away also completes it. */
	fx_publish_tag(&h1, 1, &t);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_E_AGAIN);
	fx_switch(0, &h2);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_OK);
	/* A later publish does not make an older ticket wait. */
	fx_switch(0, &h1);
	fx_publish_tag(&h1, 5, &t);
	fx_publish_tag(&h1, 6, NULL);
	fx_reload(0);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_OK);
	prs_ticket_wait(&t);
}

/* A handle is busy while some CPU holds it; switching away frees it for reuse. */
static void t_handle_busy(void)
{
	setup(2);
	PRS_CHECK_EQ(prs_handle_busy(&h1), 0u);
	fx_switch(0, &h1);
	fx_switch(1, &h1);
	PRS_CHECK_EQ(prs_handle_busy(&h1), 3u);
	fx_switch(0, &h2);
	PRS_CHECK_EQ(prs_handle_busy(&h1), 2u);
	fx_switch(1, &h2);
	PRS_CHECK_EQ(prs_handle_busy(&h1), 0u);
}

/* Nobody runs the handle: no reload request, the ticket is done at once. */
static void t_grant_needs_no_wait(void)
{
	struct prs_ticket t;
	uint32_t calls;

	setup(2);
	fx_switch(0, &h2);
	calls = atomic_load(&fx_sys.reload_calls);
	fx_publish_tag(&h1, 1, &t);
	PRS_CHECK_EQ(t.mask, 0u);
	PRS_CHECK_EQ(atomic_load(&fx_sys.reload_calls), calls);
	PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_OK);
}

/* A bad version is refused with its own code; nothing is published; the lock is released. */
static void t_commit_errors(void)
{
	struct fx_region r[8];
	struct prs_version *v;
	uint32_t w;
	unsigned n;

	setup(2);
	fx_switch(0, &h1);
	w = atomic_load(&h1.word);
	n = fx_tagged(r, 2);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 1)->prbar[1] ^= 0x40u; /* a static slot differs */
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_STATIC);

	v = prs_publish_begin(&h1); /* would hang if the lock were still held */
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 0)->gap[fx_nstatic] = 3;
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 0)->prlar[fx_nstatic] = fx_prlar(0x20000FFFu, 0); /* runs into S1 */
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_STATIC);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 1)->prbar[fx_nstatic + 1] = prs_version_set(v, &fx_sys.sys, 1)->prbar[fx_nstatic];
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_CONFLICT);

	/* Limit below base: prs_fault's one-compare look-up would take it to cover nearly everything. */
	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 0)->prlar[fx_nstatic] = fx_prlar(r[0].base - 0x40u, 0);
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_EMPTY);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 1)->nslots = 8;
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, &fx_sys.sys, 0)->ndyn = (uint8_t)(n - 1u); /* an enabled slot past ndyn */
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	PRS_CHECK_EQ(prs_publish_commit(&h2, NULL), PRS_E_ARG); /* h2 did not begin */
	prs_publish_abort(&h2);                                  /* not h2's: ignored */
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_OK);   /* h1's writer still holds it */
	PRS_CHECK_EQ(prs_publish_commit(&h1, NULL), PRS_E_ARG); /* no begin now */
	w = atomic_load(&h1.word);

	v = prs_publish_begin(&h1);
	prs_publish_abort(&h1);

	PRS_CHECK_EQ(atomic_load(&h1.word), w);
	fx_reload(0);
	PRS_CHECK(fx_holds_tag(0, 0));
	PRS_CHECK_EQ(prs_publish_commit(NULL, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(prs_publish_begin(NULL) == NULL, 1);
	fx_publish_tag(&h1, 2, NULL); /* still usable */
}

/* Epochs compare modulo 2^21; publication keeps working across the wrap. */
static void t_epoch_wrap(void)
{
	struct prs_ticket t;

	PRS_CHECK(prs_epoch_before(1, 2));
	PRS_CHECK(!prs_epoch_before(2, 1));
	PRS_CHECK(!prs_epoch_before(5, 5));
	PRS_CHECK(prs_epoch_before(PRS_EPOCH_MASK, 0));
	PRS_CHECK(prs_epoch_before(PRS_EPOCH_MASK - 3, 2));
	PRS_CHECK(!prs_epoch_before(2, PRS_EPOCH_MASK - 3));
	setup(2);
	/* Start just below the wrap (the word and its version's epoch). */
	prs_vhdr_of(&fx_sys.sys, fx_version_of(&h1))->epoch = PRS_EPOCH_MASK - 1u;
	atomic_store(&h1.word, prs_word_make(PRS_EPOCH_MASK - 1u, fx_version_of(&h1)));
	fx_switch(0, &h1);
	for (unsigned i = 1; i <= 4; i++) {
		fx_publish_tag(&h1, i, &t);
		PRS_CHECK_EQ(t.epoch, (PRS_EPOCH_MASK - 1u + i) & PRS_EPOCH_MASK);
		PRS_CHECK_EQ(t.mask, 1u);
		PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_E_AGAIN);
		fx_reload(0);
		PRS_CHECK_EQ(prs_ticket_poll(&t), PRS_OK);
		PRS_CHECK(fx_holds_tag(0, i));
	}
	PRS_CHECK_EQ(prs_word_epoch(atomic_load(&h1.word)), 2);
}

/* ---- placement checks (invariant 8) ---- */

static struct prs_cpu pl_cpu;
static struct prs_system pl_sys;
static struct prs_handle pl_h;
static struct prs_cpu_layout pl_layout;
static PRS_POOL_DEFINE(pl_pool, 4, 1, 8);

static void pl_reload(void *ctx, uint32_t mask)
{
	(void)ctx;
	(void)mask;
}

/* A static range over [p, p + n), widened to the granule. */
static struct prs_range cover(const void *p, uint64_t n, unsigned perm, unsigned sh,
			      unsigned attr)
{
	uint64_t base = (uint64_t)(uintptr_t)p & ~(uint64_t)63u;
	uint64_t end = ((uint64_t)(uintptr_t)p + n + 63u) & ~(uint64_t)63u;

	return (struct prs_range){ base, end - base, (uint8_t)perm, (uint8_t)attr, (uint8_t)sh, 0 };
}

/* One CPU whose statics cover pl_cpu (as asked), pl_h (if cover_h) and the pool. */
static int place_cpu(unsigned sh, unsigned perm, unsigned attr, int covered, int cover_h)
{
	/* MAIR: attr 0 write-back cacheable, attr 1 normal non-cacheable. */
	struct prs_system_config cfg = { .ncpus = 1, .reload = pl_reload, .flags = PRS_SYS_CHECK_PLACEMENT,
					 .mair = 0x44FFu, .pool = pl_pool,
					 .pool_bytes = sizeof(pl_pool) };
	enum prs_arch arch = sizeof(void *) > 4 ? PRS_ARCH_AARCH64 : PRS_ARCH_AARCH32;
	struct prs_range st[3];
	unsigned n = 0;

	st[n++] = cover(&pl_cpu, covered ? sizeof(pl_cpu) : sizeof(pl_cpu) / 2, perm, sh, attr);
	if (cover_h)
		st[n++] = cover(&pl_h, sizeof(pl_h), PRS_EL1_R | PRS_EL1_W, 3, 0);
	st[n++] = cover(pl_pool, sizeof(pl_pool), PRS_EL1_R | PRS_EL1_W, 3, 0);
	PRS_CHECK_EQ(prs_layout_init(&pl_layout, arch, 8, st, n, NULL), PRS_OK);
	PRS_CHECK_EQ(prs_system_init(&pl_sys, &cfg), PRS_OK);
	return prs_cpu_init(&pl_sys, &pl_cpu, 0, &pl_layout);
}

static void t_placement(void)
{
	static struct prs_version v;
	const unsigned rw = PRS_EL1_R | PRS_EL1_W;

	PRS_CHECK_EQ(place_cpu(3, rw, 0, 1, 1), PRS_OK);                   /* inner shareable, EL1 RW */
	PRS_CHECK_EQ(place_cpu(2, rw, 0, 1, 1), PRS_OK);                   /* outer shareable */
	PRS_CHECK_EQ(place_cpu(0, rw, 1, 1, 1), PRS_OK);                   /* non-shareable, non-cacheable */
	PRS_CHECK_EQ(place_cpu(0, rw, 0, 1, 1), PRS_E_PLACEMENT);          /* non-shareable write-back */
	PRS_CHECK_EQ(place_cpu(3, PRS_EL1_R, 0, 1, 1), PRS_E_PLACEMENT);   /* EL1 read-only */
	PRS_CHECK_EQ(place_cpu(3, rw, 0, 0, 1), PRS_E_PLACEMENT);          /* half outside */
	PRS_CHECK_EQ(place_cpu(3, rw, 0, 1, 1), PRS_OK);
	PRS_CHECK_EQ(prs_layout_image(&pl_layout, prs_version_set(&v, &pl_sys, 0)), PRS_OK);
	PRS_CHECK_EQ(prs_handle_init(&pl_h, &pl_sys, &v), PRS_OK);
	/* The handle outside every static region of the CPU. */
	PRS_CHECK_EQ(place_cpu(3, rw, 0, 1, 0), PRS_OK);
	PRS_CHECK_EQ(prs_layout_image(&pl_layout, prs_version_set(&v, &pl_sys, 0)), PRS_OK);
	PRS_CHECK_EQ(prs_handle_init(&pl_h, &pl_sys, &v), PRS_E_PLACEMENT);
}

#if defined(PRS_BACKEND_HOST)
/* ---- interleavings through the switch path's hooks ---- */

struct race {
	enum prs_hook_point at;
	unsigned tag;
	unsigned fired;
	unsigned pinned_buf; /* version the CPU announced (EXACT) when the hook ran */
	unsigned got_buf;    /* version the publish inside the hook used */
	struct prs_ticket t;
};

static void race_hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	struct race *r = arg;

	if (p != r->at || r->fired++)
		return;
	r->pinned_buf = prs_word_index(atomic_load(&fx_cpu[cpu].rd.ann_w));
	fx_publish_tag(&h1, r->tag, &r->t);
	r->got_buf = fx_version_of(&h1);
}

static void run_race(struct race *r)
{
	setup(2);
	prs_test_cpu[0].hook = race_hook;
	prs_test_cpu[0].arg = r;
	take_reload_mask();
	fx_switch(0, &h1);
	prs_test_cpu[0].hook = NULL;
	PRS_CHECK_EQ(r->fired, 1);
}

/* Publish after the CPU read w2: it copies the old (pinned, intact) buffer and must be asked to reload. */
static void t_race_after_w2(void)
{
	struct race r = { PRS_HOOK_READ_W2, 1, 0, 0, 0, { NULL, 0, 0 } };

	run_race(&r);
	PRS_CHECK(r.got_buf != r.pinned_buf);
	PRS_CHECK_EQ(r.t.mask, 1u);
	PRS_CHECK_EQ(take_reload_mask(), 1u);
	PRS_CHECK(fx_holds_tag(0, 0));
	PRS_CHECK_EQ(prs_ticket_poll(&r.t), PRS_E_AGAIN);
	fx_reload(0);
	PRS_CHECK(fx_holds_tag(0, 1));
	PRS_CHECK_EQ(prs_ticket_poll(&r.t), PRS_OK);
}

/* Publish between the announce and w2: the CPU is asked to reload (it might have read the old word) but reads the new one. */
static void t_race_after_announce(void)
{
	struct race r = { PRS_HOOK_ANNOUNCED, 1, 0, 0, 0, { NULL, 0, 0 } };

	run_race(&r);
	PRS_CHECK_EQ(r.t.mask, 1u);
	PRS_CHECK(fx_holds_tag(0, 1));
	PRS_CHECK_EQ(prs_ticket_poll(&r.t), PRS_OK);
	fx_reload(0);
	PRS_CHECK_EQ(atomic_load(&fx_cpu[0].stats.reload_copies), 0);
}

/* Publish before the announce: the writer cannot see the CPU, which then reads the new word. */
static void t_race_before_announce(void)
{
	struct race r = { PRS_HOOK_READ_W1, 1, 0, 0, 0, { NULL, 0, 0 } };

	run_race(&r);
	PRS_CHECK_EQ(r.t.mask, 0u);
	PRS_CHECK(fx_holds_tag(0, 1));
}

/* Publish after the MPU writes but before loaded_* are stored: seen through ann_h. */
static void t_race_after_copy(void)
{
	struct race r = { PRS_HOOK_COPIED, 1, 0, 0, 0, { NULL, 0, 0 } };

	run_race(&r);
	PRS_CHECK_EQ(r.t.mask, 1u);
	PRS_CHECK(fx_holds_tag(0, 0));
	PRS_CHECK_EQ(prs_ticket_poll(&r.t), PRS_E_AGAIN);
	fx_reload(0);
	PRS_CHECK(fx_holds_tag(0, 1));
	PRS_CHECK_EQ(prs_ticket_poll(&r.t), PRS_OK);
}

/* Publish after loaded_* are stored: seen through ann_h and loaded_w. */
static void t_race_done(void)
{
	struct race r = { PRS_HOOK_DONE, 1, 0, 0, 0, { NULL, 0, 0 } };

	run_race(&r);
	PRS_CHECK_EQ(r.t.mask, 1u);
	fx_reload(0);
	PRS_CHECK(fx_holds_tag(0, 1));
}

/*
 * Every CPU stopped mid-copy, each pinning (EXACT) a different superseded
 * buffer: begin must hand out the one buffer that is neither current nor
 * pinned, and every CPU must still copy its version intact.
 */
struct nest {
	unsigned ncpus, depth;
	uint32_t pinned;
	unsigned tag_of_cpu[PRS_MAX_CPUS];
	unsigned got;
};

static struct nest nest_ctx;

static void nest_hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	struct nest *n = arg;
	unsigned cur, got;

	if (p != PRS_HOOK_READ_W2)
		return;
	prs_test_cpu[cpu].hook = NULL;
	n->pinned |= 1u << prs_word_index(atomic_load(&fx_cpu[cpu].rd.ann_w));
	n->tag_of_cpu[cpu] = n->depth;
	n->depth++;
	cur = fx_version_of(&h1);
	fx_publish_tag(&h1, n->depth, NULL); /* supersede what cpu pinned */
	got = fx_version_of(&h1);
	/* Never the version it replaced, never one a CPU is about to copy. */
	PRS_CHECK(got != cur);
	PRS_CHECK(!(n->pinned & (1u << got)));
	PRS_CHECK(got != fx_version_of(&h2));
	n->got |= 1u << got;
	if (cpu + 1 < n->ncpus)
		fx_switch(cpu + 1, &h1);
	/* Returning, each CPU copies the version it pinned: the tags below show it intact. */
}

static void t_pool_never_current_or_pinned(void)
{
	struct nest *n = &nest_ctx;

	setup(PRS_MAX_CPUS);
	*n = (struct nest){ PRS_MAX_CPUS, 0, 0, { 0 }, 0 };
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++) {
		prs_test_cpu[k].hook = nest_hook;
		prs_test_cpu[k].arg = n;
	}
	fx_switch(0, &h1);
	PRS_CHECK_EQ(n->depth, PRS_MAX_CPUS);
	PRS_CHECK_EQ(__builtin_popcount(n->pinned), PRS_MAX_CPUS);
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++)
		PRS_CHECK(fx_holds_tag(k, n->tag_of_cpu[k]));
	PRS_CHECK_EQ(atomic_load(&fx_sys.sys.pin_waits), 0);
}

/* A CPU between its two word loads pins every buffer published since its first (LOWER). */
struct lower {
	uint8_t used[PRS_MAX_VERSIONS]; /* versions published at or after the CPU's w1 */
	unsigned publishes;
};

static void lower_hook(unsigned cpu, enum prs_hook_point p, void *arg)
{
	struct lower *l = arg;
	uint32_t free = fx_sys.sys.nversions - 2u; /* h1's and h2's current */

	if (p != PRS_HOOK_ANNOUNCED)
		return;
	prs_test_cpu[cpu].hook = NULL;
	PRS_CHECK(!(atomic_load(&fx_cpu[cpu].rd.ann_w) & PRS_WORD_EXACT));
	l->used[fx_version_of(&h1)] = 1;
	/*
	 * Every version h1 publishes from now on stays pinned (LOWER) while the
	 * CPU sits here: leave one free; one more publish would have to wait.
	 */
	for (unsigned i = 0; i + 1u < free; i++) {
		unsigned b;

		fx_publish_tag(&h1, 10 + i, NULL);
		b = fx_version_of(&h1);
		PRS_CHECK(!l->used[b]);
		l->used[b] = 1;
		l->publishes++;
	}
}

static void t_lower_pin_covers_newer(void)
{
	static struct lower l;

	setup(2);
	l = (struct lower){ { 0 }, 0 };
	fx_switch(0, &h2); /* loaded_h != h1: the switch below takes the slow path */
	prs_test_cpu[0].hook = lower_hook;
	prs_test_cpu[0].arg = &l;
	fx_switch(0, &h1);
	PRS_CHECK_EQ(l.publishes, fx_sys.sys.nversions - 3u);
	PRS_CHECK(fx_holds_tag(0, 10 + fx_sys.sys.nversions - 4u));
	PRS_CHECK_EQ(atomic_load(&fx_sys.sys.pin_waits), 0);
}
#endif

static const struct prs_test tests[] = {
	PRS_TEST_ENTRY(t_reload_after_republish),
	PRS_TEST_ENTRY(t_revoke_ticket),
	PRS_TEST_ENTRY(t_grant_needs_no_wait),
	PRS_TEST_ENTRY(t_handle_busy),
	PRS_TEST_ENTRY(t_commit_errors),
	PRS_TEST_ENTRY(t_epoch_wrap),
	PRS_TEST_ENTRY(t_placement),
#if defined(PRS_BACKEND_HOST)
	PRS_TEST_ENTRY(t_race_after_w2),
	PRS_TEST_ENTRY(t_race_after_announce),
	PRS_TEST_ENTRY(t_race_before_announce),
	PRS_TEST_ENTRY(t_race_after_copy),
	PRS_TEST_ENTRY(t_race_done),
	PRS_TEST_ENTRY(t_pool_never_current_or_pinned),
	PRS_TEST_ENTRY(t_lower_pin_covers_newer),
#endif
};

PRS_TEST_MAIN("sync.publish", tests)
