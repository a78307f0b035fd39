/* SPDX-License-Identifier: MIT */
/*
 * Publication, reload and revocation: which CPUs are asked to reload, what
 * tickets report, that commits with bad versions change nothing, that the
 * pool never hands out a current or pinned buffer, and (host, through the
 * switch path's test hooks) every interleaving point of a writer with a
 * CPU in the middle of a switch.
 */
#include "fixture.h"

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
	prs_version_set(v, 1)->prbar[1] ^= 0x40u; /* a static slot differs */
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_STATIC);

	v = prs_publish_begin(&h1); /* would hang if the lock were still held */
	fx_version(v, r, n);
	prs_version_set(v, 0)->gap[fx_nstatic] = 3;
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, 0)->prlar[fx_nstatic] = fx_prlar(0x20000FFFu, 0); /* runs into S1 */
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_STATIC);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, 1)->prbar[fx_nstatic + 1] = prs_version_set(v, 1)->prbar[fx_nstatic];
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_CONFLICT);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, 1)->nslots = 8;
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	fx_version(v, r, n);
	prs_version_set(v, 0)->ndyn = (uint8_t)(n - 1u); /* an enabled slot past ndyn */
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_ARG);

	v = prs_publish_begin(&h1);
	PRS_CHECK_EQ(prs_publish_commit(&h1, &h1.buf[(fx_buf_index(&h1, v) + 1) % PRS_POOL], NULL),
		     PRS_E_ARG);
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_E_ARG); /* no begin now */

	v = prs_publish_begin(&h1);
	prs_publish_abort(&h1, v);

	PRS_CHECK_EQ(atomic_load(&h1.word), w);
	PRS_CHECK_EQ(atomic_load(&fx_sys.reload_calls), 0);
	fx_reload(0);
	PRS_CHECK(fx_holds_tag(0, 0));
	PRS_CHECK_EQ(prs_publish_commit(NULL, v, NULL), PRS_E_NULL);
	PRS_CHECK_EQ(prs_publish_begin(NULL) == NULL, 1);
	fx_publish_tag(&h1, 2, NULL); /* still usable */
}

/* Epochs compare modulo 2^27; publication keeps working across the wrap. */
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
	/* Start just below the wrap. */
	h1.epoch_of[0] = PRS_EPOCH_MASK - 1u;
	atomic_store(&h1.word, prs_word_make(PRS_EPOCH_MASK - 1u, 0));
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

/* Slot `slot` of img covers [p, p + n): in the format that can name this build's addresses. */
static void cover(struct prs_set *img, unsigned slot, const void *p, uint64_t n, unsigned sh,
		  unsigned ap, unsigned attr)
{
	uint64_t base = (uint64_t)(uintptr_t)p & ~(uint64_t)63u;
	uint64_t limit = ((uint64_t)(uintptr_t)p + n - 1u) & ~(uint64_t)63u;

	if (img->arch == PRS_ARCH_AARCH64) {
		img->prbar[slot] = (prs_reg_t)(base | (sh << 4) | (ap << 2) | 1u);
		img->prlar[slot] = (prs_reg_t)(limit | (attr << 1) | 1u);
	} else {
		img->prbar[slot] = (prs_reg_t)(base | (sh << 3) | (ap << 1) | 1u);
		img->prlar[slot] = (prs_reg_t)(limit | (attr << 1) | 1u);
	}
}

static int place_cpu(unsigned sh, unsigned ap, unsigned attr, int covered)
{
	/* MAIR: attr 0 write-back cacheable, attr 1 normal non-cacheable. */
	struct prs_system_config cfg = { 1, NULL, NULL, PRS_SYS_CHECK_PLACEMENT, 0x44FFu };
	static struct prs_set img;

	for (unsigned i = 0; i < PRS_MAX_REGIONS; i++) {
		img.prbar[i] = 0;
		img.prlar[i] = 0;
		img.gap[i] = 0xFF;
	}
	img.nslots = 8;
	img.nstatic = 2;
	img.ndyn = 0;
	img.arch = sizeof(void *) > 4 ? PRS_ARCH_AARCH64 : PRS_ARCH_AARCH32;
	cover(&img, 0, &pl_cpu, covered ? sizeof(pl_cpu) : sizeof(pl_cpu) / 2, sh, ap, attr);
	cover(&img, 1, &pl_h, sizeof(pl_h), 3, 0, 0);
	PRS_CHECK_EQ(prs_system_init(&pl_sys, &cfg), PRS_OK);
	return prs_cpu_init(&pl_sys, &pl_cpu, 0, &img);
}

static void t_placement(void)
{
	static struct prs_version v;

	PRS_CHECK_EQ(place_cpu(3, 0, 0, 1), PRS_OK);          /* inner shareable, EL1 RW */
	PRS_CHECK_EQ(place_cpu(2, 0, 0, 1), PRS_OK);          /* outer shareable */
	PRS_CHECK_EQ(place_cpu(0, 0, 1, 1), PRS_OK);          /* non-shareable, non-cacheable */
	PRS_CHECK_EQ(place_cpu(0, 0, 0, 1), PRS_E_PLACEMENT); /* non-shareable write-back */
	PRS_CHECK_EQ(place_cpu(3, 2, 0, 1), PRS_E_PLACEMENT); /* EL1 read-only */
	PRS_CHECK_EQ(place_cpu(3, 0, 0, 0), PRS_E_PLACEMENT); /* half outside */
	PRS_CHECK_EQ(place_cpu(3, 0, 0, 1), PRS_OK);
	v.cpu[0].set = pl_cpu.image;
	PRS_CHECK_EQ(prs_handle_init(&pl_h, &pl_sys, &v), PRS_OK);
	/* The handle outside every static region of the CPU. */
	pl_cpu.image.prlar[1] = 0;
	v.cpu[0].set.prlar[1] = 0;
	PRS_CHECK_EQ(prs_handle_init(&pl_h, &pl_sys, &v), PRS_E_PLACEMENT);
}

#if defined(PRS_BACKEND_HOST)
/* ---- interleavings through the switch path's hooks ---- */

struct race {
	enum prs_hook_point at;
	unsigned tag;
	unsigned fired;
	unsigned pinned_buf; /* buffer the CPU announced (EXACT) when the hook ran */
	unsigned got_buf;    /* buffer begin handed out inside the hook */
	struct prs_ticket t;
};

static void race_hook(struct prs_cpu *c, enum prs_hook_point p, void *arg)
{
	struct race *r = arg;
	struct fx_region reg[8];
	struct prs_version *v;

	if (p != r->at || r->fired++)
		return;
	r->pinned_buf = prs_word_index(atomic_load(&c->ann_w));
	v = prs_publish_begin(&h1);
	r->got_buf = fx_buf_index(&h1, v);
	fx_version(v, reg, fx_tagged(reg, r->tag));
	PRS_CHECK_EQ(prs_publish_commit(&h1, v, &r->t), PRS_OK);
}

static void run_race(struct race *r)
{
	setup(2);
	fx_cpu[0].hook = race_hook;
	fx_cpu[0].hook_arg = r;
	take_reload_mask();
	fx_switch(0, &h1);
	fx_cpu[0].hook = NULL;
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

static void nest_hook(struct prs_cpu *c, enum prs_hook_point p, void *arg)
{
	struct nest *n = arg;
	struct prs_version *v;
	unsigned cur;

	if (p != PRS_HOOK_READ_W2)
		return;
	c->hook = NULL;
	n->pinned |= 1u << prs_word_index(atomic_load(&c->ann_w));
	n->tag_of_cpu[c->id] = n->depth;
	n->depth++;
	fx_publish_tag(&h1, n->depth, NULL); /* supersede what c pinned */
	if (c->id + 1 < n->ncpus) {
		fx_switch(c->id + 1, &h1);
		return;
	}
	/* Innermost: CPUS pinned + 1 current out of CPUS + 2. */
	cur = prs_word_index(atomic_load(&h1.word));
	PRS_CHECK_EQ(__builtin_popcount(n->pinned), n->ncpus);
	PRS_CHECK(!(n->pinned & (1u << cur)));
	v = prs_publish_begin(&h1);
	n->got = fx_buf_index(&h1, v);
	PRS_CHECK(n->got != cur);
	PRS_CHECK(!(n->pinned & (1u << n->got)));
	/* Scribble over it: nobody may be reading it. */
	for (unsigned k = 0; k < n->ncpus; k++)
		for (unsigned i = fx_nstatic; i < fx_nslots; i++)
			prs_version_set(v, k)->prbar[i] = 0xDEAD0000u;
	prs_publish_abort(&h1, v);
}

static void t_pool_never_current_or_pinned(void)
{
	struct nest *n = &nest_ctx;

	setup(PRS_MAX_CPUS);
	*n = (struct nest){ PRS_MAX_CPUS, 0, 0, { 0 }, 0 };
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++) {
		fx_cpu[k].hook = nest_hook;
		fx_cpu[k].hook_arg = n;
	}
	fx_switch(0, &h1);
	PRS_CHECK_EQ(n->depth, PRS_MAX_CPUS);
	for (unsigned k = 0; k < PRS_MAX_CPUS; k++)
		PRS_CHECK(fx_holds_tag(k, n->tag_of_cpu[k]));
	PRS_CHECK_EQ(atomic_load(&h1.pin_waits), 0);
}

/* A CPU between its two word loads pins every buffer published since its first (LOWER). */
struct lower {
	uint32_t used; /* buffers published at or after the CPU's w1 */
	unsigned publishes;
};

static void lower_hook(struct prs_cpu *c, enum prs_hook_point p, void *arg)
{
	struct lower *l = arg;

	if (p != PRS_HOOK_ANNOUNCED)
		return;
	c->hook = NULL;
	PRS_CHECK(!(atomic_load(&c->ann_w) & PRS_WORD_EXACT));
	l->used = 1u << prs_word_index(atomic_load(&h1.word));
	/* Leave one buffer: one more publish would have to wait for this CPU. */
	for (unsigned i = 0; i + 2 < PRS_POOL; i++) {
		struct fx_region r[8];
		struct prs_version *v = prs_publish_begin(&h1);
		unsigned b = fx_buf_index(&h1, v);

		PRS_CHECK(!(l->used & (1u << b)));
		l->used |= 1u << b;
		fx_version(v, r, fx_tagged(r, 10 + i));
		PRS_CHECK_EQ(prs_publish_commit(&h1, v, NULL), PRS_OK);
		l->publishes++;
	}
}

static void t_lower_pin_covers_newer(void)
{
	struct lower l = { 0, 0 };

	setup(2);
	fx_switch(0, &h2); /* loaded_h != h1: the switch below takes the slow path */
	fx_cpu[0].hook = lower_hook;
	fx_cpu[0].hook_arg = &l;
	fx_switch(0, &h1);
	PRS_CHECK_EQ(l.publishes, PRS_POOL - 2);
	PRS_CHECK(fx_holds_tag(0, 10 + PRS_POOL - 3));
	PRS_CHECK_EQ(atomic_load(&h1.pin_waits), 0);
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
