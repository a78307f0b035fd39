/* SPDX-License-Identifier: MIT */
/*
 * prs-gen: compile a static description of CPUs, memory domains and threads
 * into precomputed region sets, with the same validation and builder the
 * target uses (prs_rangeset_add, prs_layout_init, prs_set_build).
 *
 *   prs-gen [-o sets.c] [-H sets.h] [-m sets.map] [--prefix NAME]
 *           [--max-regions N] description.txt
 *
 * Writes a C file with one `const struct prs_set <prefix>_set_<t>_<c>` per
 * thread t per CPU c (description order; prefix default prs_gen), the tables
 * <prefix>_sets[thread][cpu] and <prefix>_cpu_images[cpu] (each CPU's static
 * image, for its boot code and prs_cpu_init); a header with the index names
 * <PREFIX>_THREAD_<name> and <PREFIX>_CPU_<name>, the counts and the extern
 * declarations; and a readable map. Symbols are built from indices, so any
 * names give distinct symbols; an identifier that would not be distinct in
 * its significant characters (C11: 63, external 31) is an error. Any error
 * prints `file:line: PRS_E_xxx: message` for the line that caused it, naming
 * the other party of a conflict, and exits 1 (2 for usage and I/O errors);
 * nothing is written then.
 *
 * Description format: one statement per line; '#' starts a comment; words
 * are separated by blanks. Names are C identifiers. Numbers are decimal or
 * 0x-hex, optionally followed by K, M or G (x 1024^n).
 *
 *   cpu    <name> <aarch32|aarch64> <regions>
 *   static <cpu> <base> <size> <perm> [attrs]     slot = order of the lines
 *   base   <cpu> <base> <size> <perm> [attrs]     the CPU's dynamic base layer
 *   domain <name>
 *   part   <domain> <base> <size> <perm> [attrs]  a partition of the domain
 *   thread <name> <domain|-> <stack-base> <stack-size> <guard-size> [<perm> [attrs]]
 *   priv   <thread> <base> <size> <perm> [attrs]  a thread-private range
 *
 * perm:  '-' (no access: a hole) or letters R (EL1 read), W (EL1 write),
 *        r (EL0 read), w (EL0 write), x (execute); e.g. RW, RWrw, Rx, Rr.
 * attrs: mt=<0..7> (MAIR index, default 0), sh=none|outer|inner (default
 *        none), wx (consent to writable + executable).
 * A thread's stack defaults to RWrw; its guard is a hole of <guard-size>
 * bytes right below the stack (0: none). Layers, outermost first: the CPU's
 * base, the domain's partitions, the thread's stack, guard and priv ranges.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prsched/build.h"
#include "prsched/error.h"

#define GEN_MAX_CPUS 8
#define GEN_MAX_DOMAINS 32
#define GEN_MAX_THREADS 64
#define GEN_MAX_ENTRIES 64
#define GEN_MAX_WORDS 12
#define GEN_NAME 48
#define GEN_RAW 64
#define GEN_PREFIX 32
#define GEN_IDENT 96
#define GEN_SIGNIFICANT 63 /* C11 5.2.4.1: internal identifiers, macro names */
#define GEN_SIGNIFICANT_EXT 31 /* external identifiers */

/* One table plus the description line of each entry, for error messages. */
struct gen_layer {
	struct prs_rangeset set;
	struct prs_rangeset_entry e[GEN_MAX_ENTRIES];
	unsigned line[GEN_MAX_ENTRIES]; /* by insertion; matched by base/size */
	struct prs_range r[GEN_MAX_ENTRIES];
	char raw[GEN_MAX_ENTRIES][GEN_RAW]; /* "<base> <size>" as written */
	unsigned n;
	unsigned addr_line; /* AArch32 table: first range beyond 4 GiB (0: none) */
};

struct gen_cpu {
	char name[GEN_NAME];
	unsigned line, nregions, nstatic;
	enum prs_arch arch;
	struct prs_range statics[PRS_MAX_REGIONS];
	unsigned static_line[PRS_MAX_REGIONS];
	struct gen_layer base;
	struct prs_set image; /* the static slots alone: what the MPU holds at boot */
	struct prs_cpu_layout layout;
};

struct gen_domain {
	char name[GEN_NAME];
	struct gen_layer parts[2]; /* one table per arch */
};

struct gen_thread {
	char name[GEN_NAME];
	unsigned line;
	int domain; /* -1: none */
	struct prs_range stack;
	struct gen_layer priv[2];
};

struct gen {
	const char *file;
	unsigned line;
	unsigned ncpu, ndom, nthr;
	struct gen_cpu cpu[GEN_MAX_CPUS];
	struct gen_domain dom[GEN_MAX_DOMAINS];
	struct gen_thread thr[GEN_MAX_THREADS];
	struct prs_set sets[GEN_MAX_THREADS][GEN_MAX_CPUS];
	unsigned max_regions, max_set_regions;
	int io_err;
	char raw[GEN_RAW]; /* the current statement's "<base> <size>" as written */
	char prefix[GEN_PREFIX], upper[GEN_PREFIX];
	const char *header; /* -H path: the C file includes its base name */
};

static struct gen g;

/* Report `file:line: PRS_E_xxx: message` and return the code. */
static int __attribute__((format(printf, 3, 4))) gen_fail(unsigned line, int code,
							   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	/* va_start above initialises ap; clang-tidy 14 misses it (false positive) */
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0) /* NOLINT(clang-analyzer-valist.Uninitialized) */
		msg[0] = '\0';
	va_end(ap);
	if (fprintf(stderr, "%s:%u: %s: %s\n", g.file, line, prs_errname(code), msg) < 0)
		g.io_err = 1;
	return code;
}

static void __attribute__((format(printf, 2, 3))) gen_out(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(f, fmt, ap) < 0) /* NOLINT(clang-analyzer-valist.Uninitialized): as above */
		g.io_err = 1;
	va_end(ap);
}

static int gen_is_ident(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

static int gen_number(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;
	unsigned shift = 0;

	if (*s == '-' || *s == '+' || *s == '\0')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end || (shift && x > (UINT64_MAX >> shift)))
		return -1;
	*v = (uint64_t)x << shift;
	return 0;
}

static int gen_perm(const char *s, uint8_t *perm)
{
	unsigned p = 0;

	if (strcmp(s, "-") == 0) {
		*perm = 0;
		return 0;
	}
	for (; *s; s++) {
		unsigned bit;

		switch (*s) {
		case 'R': bit = PRS_EL1_R; break;
		case 'W': bit = PRS_EL1_W; break;
		case 'r': bit = PRS_EL0_R; break;
		case 'w': bit = PRS_EL0_W; break;
		case 'x': bit = PRS_EXEC; break;
		default: return -1;
		}
		if (p & bit)
			return -1;
		p |= bit;
	}
	*perm = (uint8_t)p;
	return 0;
}

/* Optional attrs after the permission: mt=, sh=, wx. */
static int gen_attrs(char **w, unsigned n, struct prs_range *r)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t v;

		if (strncmp(w[i], "mt=", 3) == 0 && gen_number(w[i] + 3, &v) == 0 && v <= 255)
			r->memtype = (uint8_t)v;
		else if (strcmp(w[i], "sh=none") == 0)
			r->share = PRS_SH_NONE;
		else if (strcmp(w[i], "sh=outer") == 0)
			r->share = PRS_SH_OUTER;
		else if (strcmp(w[i], "sh=inner") == 0)
			r->share = PRS_SH_INNER;
		else if (strcmp(w[i], "wx") == 0)
			r->opts |= PRS_OPT_ALLOW_WX;
		else
			return gen_fail(g.line, PRS_E_SYNTAX, "bad attribute '%s'", w[i]);
	}
	return PRS_OK;
}

/* <base> <size> <perm> [attrs] starting at w[0]. */
static int gen_range(char **w, unsigned n, struct prs_range *r)
{
	*r = (struct prs_range){ 0, 0, 0, 0, PRS_SH_NONE, 0 };
	if (n < 3)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected <base> <size> <perm> [attrs]");
	if (gen_number(w[0], &r->base) || gen_number(w[1], &r->size))
		return gen_fail(g.line, PRS_E_SYNTAX, "bad number '%s' or '%s'", w[0], w[1]);
	(void)snprintf(g.raw, sizeof(g.raw), "%s %s", w[0], w[1]);
	if (gen_perm(w[2], &r->perm))
		return gen_fail(g.line, PRS_E_SYNTAX, "bad permission '%s'", w[2]);
	return gen_attrs(w + 3, n - 3, r);
}

static int gen_find_cpu(const char *name)
{
	for (unsigned i = 0; i < g.ncpu; i++)
		if (strcmp(g.cpu[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int gen_find_dom(const char *name)
{
	for (unsigned i = 0; i < g.ndom; i++)
		if (strcmp(g.dom[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int gen_find_thr(const char *name)
{
	for (unsigned i = 0; i < g.nthr; i++)
		if (strcmp(g.thr[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int gen_name_ok(const char *name)
{
	if (!gen_is_ident(name) || strlen(name) >= GEN_NAME)
		return gen_fail(g.line, PRS_E_SYNTAX, "'%s' is not a C identifier (< %d chars)",
				name, GEN_NAME);
	if (gen_find_cpu(name) >= 0 || gen_find_dom(name) >= 0 || gen_find_thr(name) >= 0)
		return gen_fail(g.line, PRS_E_SYNTAX, "name '%s' already used", name);
	return PRS_OK;
}

static void gen_layer_init(struct gen_layer *l, enum prs_arch arch)
{
	l->n = 0;
	l->addr_line = 0;
	(void)prs_rangeset_init(&l->set, l->e, GEN_MAX_ENTRIES, arch);
}

static int gen_overlap(const struct prs_range *a, const struct prs_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* The earlier entry of l that r collides with, or -1. */
static int gen_layer_other(const struct gen_layer *l, const struct prs_range *r)
{
	for (unsigned i = 0; i < l->n; i++)
		if (gen_overlap(&l->r[i], r))
			return (int)i;
	return -1;
}

static int gen_layer_add(struct gen_layer *l, const struct prs_range *r)
{
	int err = prs_rangeset_add(&l->set, r);
	int o;

	if (err && (o = gen_layer_other(l, r)) >= 0)
		return gen_fail(g.line, err, "%s: '%s' (0x%llx+0x%llx) against '%s' from line %u",
				prs_strerror(err), g.raw, (unsigned long long)r->base,
				(unsigned long long)r->size, l->raw[o], l->line[o]);
	if (err)
		return gen_fail(g.line, err, "%s: '%s' (0x%llx+0x%llx)", prs_strerror(err), g.raw,
				(unsigned long long)r->base, (unsigned long long)r->size);
	if (l->n < GEN_MAX_ENTRIES) {
		l->r[l->n] = *r;
		(void)snprintf(l->raw[l->n], GEN_RAW, "%s", g.raw);
		l->line[l->n++] = g.line;
	}
	return PRS_OK;
}

static int gen_stmt_cpu(char **w, unsigned n)
{
	struct gen_cpu *c = NULL;
	uint64_t regions;

	if (n != 4)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: cpu <name> <arch> <regions>");
	if (g.ncpu >= GEN_MAX_CPUS)
		return gen_fail(g.line, PRS_E_FULL, "more than %d CPUs", GEN_MAX_CPUS);
	if (gen_name_ok(w[1]))
		return PRS_E_SYNTAX;
	c = &g.cpu[g.ncpu];
	if (strcmp(w[2], "aarch32") == 0)
		c->arch = PRS_ARCH_AARCH32;
	else if (strcmp(w[2], "aarch64") == 0)
		c->arch = PRS_ARCH_AARCH64;
	else
		return gen_fail(g.line, PRS_E_SYNTAX, "arch must be aarch32 or aarch64");
	if (gen_number(w[3], &regions))
		return gen_fail(g.line, PRS_E_SYNTAX, "bad region count '%s'", w[3]);
	if (regions == 0 || regions > g.max_regions)
		return gen_fail(g.line, PRS_E_ARG, "region count must be 1..%u", g.max_regions);
	(void)snprintf(c->name, sizeof(c->name), "%s", w[1]);
	c->line = g.line;
	c->nregions = (unsigned)regions;
	c->nstatic = 0;
	gen_layer_init(&c->base, c->arch);
	g.ncpu++;
	return prs_layout_init(&c->layout, c->arch, c->nregions, NULL, 0, &c->base.set);
}

static int gen_cpu_ref(const char *name, struct gen_cpu **c)
{
	int i = gen_find_cpu(name);

	if (i < 0)
		return gen_fail(g.line, PRS_E_SYNTAX, "unknown cpu '%s'", name);
	*c = &g.cpu[i];
	return PRS_OK;
}

static int gen_stmt_static(char **w, unsigned n)
{
	struct prs_cpu_layout l;
	struct prs_range r;
	struct gen_cpu *c = NULL;
	int err;

	if (n < 2)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: static <cpu> <base> <size> <perm>");
	if (gen_cpu_ref(w[1], &c) || gen_range(w + 2, n - 2, &r))
		return PRS_E_SYNTAX;
	if (c->nstatic >= c->nregions)
		return gen_fail(g.line, PRS_E_ARG, "cpu %s has only %u regions", c->name,
				c->nregions);
	c->statics[c->nstatic] = r;
	c->static_line[c->nstatic] = g.line;
	/* layout_init checks the new static and its overlap with earlier ones */
	err = prs_layout_init(&l, c->arch, c->nregions, c->statics, c->nstatic + 1u,
			      &c->base.set);
	for (unsigned j = 0; err == PRS_E_CONFLICT && j < c->nstatic; j++)
		if (gen_overlap(&c->statics[j], &r))
			return gen_fail(g.line, err, "static region '%s' (0x%llx+0x%llx) overlaps "
					"static region %u of cpu %s (0x%llx+0x%llx, line %u)", g.raw,
					(unsigned long long)r.base, (unsigned long long)r.size, j,
					c->name, (unsigned long long)c->statics[j].base,
					(unsigned long long)c->statics[j].size, c->static_line[j]);
	if (err)
		return gen_fail(g.line, err, "static region '%s' (0x%llx+0x%llx): %s", g.raw,
				(unsigned long long)r.base, (unsigned long long)r.size,
				prs_strerror(err));
	c->nstatic++;
	c->layout = l;
	return PRS_OK;
}

static int gen_stmt_base(char **w, unsigned n)
{
	struct prs_range r;
	struct gen_cpu *c = NULL;

	if (n < 2)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: base <cpu> <base> <size> <perm>");
	if (gen_cpu_ref(w[1], &c) || gen_range(w + 2, n - 2, &r))
		return PRS_E_SYNTAX;
	return gen_layer_add(&c->base, &r);
}

static int gen_stmt_domain(char **w, unsigned n)
{
	struct gen_domain *d;

	if (n != 2)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: domain <name>");
	if (g.ndom >= GEN_MAX_DOMAINS)
		return gen_fail(g.line, PRS_E_FULL, "more than %d domains", GEN_MAX_DOMAINS);
	if (gen_name_ok(w[1]))
		return PRS_E_SYNTAX;
	d = &g.dom[g.ndom++];
	(void)snprintf(d->name, sizeof(d->name), "%s", w[1]);
	gen_layer_init(&d->parts[0], PRS_ARCH_AARCH32);
	gen_layer_init(&d->parts[1], PRS_ARCH_AARCH64);
	return PRS_OK;
}

/* Ranges go into one table per arch and the builder takes the one matching
 * the CPU. The AArch64 table checks everything; a range only AArch64 can
 * address is left out of the AArch32 table and reported (at its own line)
 * only if an AArch32 CPU ever needs that table. */
static int gen_add_both(struct gen_layer pair[2], const struct prs_range *r)
{
	int err = gen_layer_add(&pair[1], r);

	if (err)
		return err;
	if (prs_range_check(r, PRS_ARCH_AARCH32) == PRS_E_ADDR) {
		if (!pair[0].addr_line)
			pair[0].addr_line = g.line;
		return PRS_OK;
	}
	return gen_layer_add(&pair[0], r);
}

static int gen_stmt_part(char **w, unsigned n)
{
	struct prs_range r;
	int d;

	if (n < 2)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: part <domain> <base> <size> <perm>");
	d = gen_find_dom(w[1]);
	if (d < 0)
		return gen_fail(g.line, PRS_E_SYNTAX, "unknown domain '%s'", w[1]);
	if (gen_range(w + 2, n - 2, &r))
		return PRS_E_SYNTAX;
	return gen_add_both(g.dom[d].parts, &r);
}

static int gen_stmt_thread(char **w, unsigned n)
{
	struct prs_range stack, guard;
	struct gen_thread *t;
	uint64_t gsize;
	int d = -1;

	if (n < 6)
		return gen_fail(g.line, PRS_E_SYNTAX,
				"expected: thread <name> <domain|-> <stack-base> <stack-size> "
				"<guard-size> [<perm> [attrs]]");
	if (g.nthr >= GEN_MAX_THREADS)
		return gen_fail(g.line, PRS_E_FULL, "more than %d threads", GEN_MAX_THREADS);
	if (gen_name_ok(w[1]))
		return PRS_E_SYNTAX;
	if (strcmp(w[2], "-") != 0 && (d = gen_find_dom(w[2])) < 0)
		return gen_fail(g.line, PRS_E_SYNTAX, "unknown domain '%s'", w[2]);
	if (gen_number(w[5], &gsize))
		return gen_fail(g.line, PRS_E_SYNTAX, "bad guard size '%s'", w[5]);
	{
		char *rw[GEN_MAX_WORDS];
		unsigned rn = 0;
		char dflt[] = "RWrw";

		rw[rn++] = w[3];
		rw[rn++] = w[4];
		rw[rn++] = n > 6 ? w[6] : dflt;
		for (unsigned i = 7; i < n && rn < GEN_MAX_WORDS; i++)
			rw[rn++] = w[i];
		if (gen_range(rw, rn, &stack))
			return PRS_E_SYNTAX;
	}
	t = &g.thr[g.nthr];
	(void)snprintf(t->name, sizeof(t->name), "%s", w[1]);
	t->line = g.line;
	t->domain = d;
	t->stack = stack;
	gen_layer_init(&t->priv[0], PRS_ARCH_AARCH32);
	gen_layer_init(&t->priv[1], PRS_ARCH_AARCH64);
	g.nthr++;
	if (gsize) {
		char stack_raw[GEN_RAW];
		int err;

		if (gsize > stack.base)
			return gen_fail(g.line, PRS_E_WRAP, "guard below address 0");
		guard = stack;
		guard.base = stack.base - gsize;
		guard.size = gsize;
		guard.perm = 0;
		guard.opts = 0;
		(void)snprintf(stack_raw, sizeof(stack_raw), "%s", g.raw);
		(void)snprintf(g.raw, sizeof(g.raw), "guard %s below %s", w[5], w[3]);
		err = gen_add_both(t->priv, &guard);
		if (err)
			return err;
		(void)snprintf(g.raw, sizeof(g.raw), "%s", stack_raw);
	}
	return gen_add_both(t->priv, &stack);
}

static int gen_stmt_priv(char **w, unsigned n)
{
	struct prs_range r;
	int t;

	if (n < 2)
		return gen_fail(g.line, PRS_E_SYNTAX, "expected: priv <thread> <base> <size> <perm>");
	t = gen_find_thr(w[1]);
	if (t < 0)
		return gen_fail(g.line, PRS_E_SYNTAX, "unknown thread '%s'", w[1]);
	if (gen_range(w + 2, n - 2, &r))
		return PRS_E_SYNTAX;
	return gen_add_both(g.thr[t].priv, &r);
}

static int gen_statement(char **w, unsigned n)
{
	static const struct {
		const char *kw;
		int (*fn)(char **, unsigned);
	} stmts[] = {
		{ "cpu", gen_stmt_cpu },       { "static", gen_stmt_static },
		{ "base", gen_stmt_base },     { "domain", gen_stmt_domain },
		{ "part", gen_stmt_part },     { "thread", gen_stmt_thread },
		{ "priv", gen_stmt_priv },
	};

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (strcmp(w[0], stmts[i].kw) == 0)
			return stmts[i].fn(w, n);
	return gen_fail(g.line, PRS_E_SYNTAX, "unknown statement '%s'", w[0]);
}

/* Split `s` in place into blank-separated words. */
static int gen_words(char *s, char **w)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (!*s)
			return (int)n;
		if (n >= GEN_MAX_WORDS)
			return -1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static int gen_parse(FILE *f)
{
	char buf[1024];

	for (g.line = 1; fgets(buf, sizeof(buf), f); g.line++) {
		char *w[GEN_MAX_WORDS], *p = strchr(buf, '#');
		int n, err;

		if (!strchr(buf, '\n') && !feof(f))
			return gen_fail(g.line, PRS_E_SYNTAX, "line longer than %u characters",
					(unsigned)sizeof(buf) - 2u);
		if (p)
			*p = '\0';
		n = gen_words(buf, w);
		if (n < 0)
			return gen_fail(g.line, PRS_E_SYNTAX, "more than %d words", GEN_MAX_WORDS);
		if (n == 0)
			continue;
		err = gen_statement(w, (unsigned)n);
		if (err)
			return err;
	}
	return PRS_OK;
}

/* Report the first range of `l` that overlaps a static region of c, naming
 * both; 0 if none does. */
static int gen_static_culprit(const struct gen_cpu *c, const struct gen_layer *l)
{
	for (unsigned i = 0; i < l->n; i++)
		for (unsigned j = 0; j < c->nstatic; j++) {
			const struct prs_range *a = &l->r[i], *b = &c->statics[j];

			if (gen_overlap(a, b))
				return gen_fail(l->line[i], PRS_E_STATIC,
						"'%s' (0x%llx+0x%llx) overlaps static region %u of "
						"cpu %s (0x%llx+0x%llx, line %u)", l->raw[i],
						(unsigned long long)a->base,
						(unsigned long long)a->size, j, c->name,
						(unsigned long long)b->base,
						(unsigned long long)b->size, c->static_line[j]);
		}
	return 0;
}

static int gen_build_one(unsigned ti, unsigned ci)
{
	struct gen_thread *t = &g.thr[ti];
	struct gen_cpu *c = &g.cpu[ci];
	const struct prs_rangeset *layers[2];
	const struct gen_layer *gl[3] = { &c->base, NULL, &t->priv[c->arch] };
	unsigned nl = 0;
	int err;

	if (t->domain >= 0) {
		gl[1] = &g.dom[t->domain].parts[c->arch];
		layers[nl++] = &gl[1]->set;
	}
	layers[nl++] = &gl[2]->set;
	for (unsigned k = 1; k < 3; k++)
		if (gl[k] && gl[k]->addr_line)
			return gen_fail(gl[k]->addr_line, PRS_E_ADDR,
					"range beyond 4 GiB used on aarch32 cpu %s", c->name);
	err = prs_set_build(&c->layout, layers, nl, &g.sets[ti][ci]);
	if (err == PRS_E_STATIC) {
		for (unsigned k = 0; k < 3; k++) {
			int e = gl[k] ? gen_static_culprit(c, gl[k]) : 0;

			if (e)
				return e;
		}
	}
	if (err == PRS_E_NOSPACE)
		return gen_fail(t->line, err, "thread %s on cpu %s needs more than the %u free "
				"slots (bound %u)", t->name, c->name, c->nregions - c->nstatic,
				prs_set_bound(&c->layout, layers, nl));
	if (err)
		return gen_fail(t->line, err, "thread %s on cpu %s: %s", t->name, c->name,
				prs_strerror(err));
	return PRS_OK;
}

/* Two threads' stacks may not share memory (identical stacks included): one
 * thread's pushes would corrupt the other's frames, and nothing at run time
 * could tell. */
static int gen_check_stacks(void)
{
	for (unsigned j = 1; j < g.nthr; j++)
		for (unsigned i = 0; i < j; i++) {
			const struct prs_range *a = &g.thr[i].stack, *b = &g.thr[j].stack;

			if (gen_overlap(a, b))
				return gen_fail(g.thr[j].line, PRS_E_CONFLICT,
						"stack of thread %s (0x%llx+0x%llx) overlaps the stack "
						"of thread %s (0x%llx+0x%llx, line %u)", g.thr[j].name,
						(unsigned long long)b->base, (unsigned long long)b->size,
						g.thr[i].name, (unsigned long long)a->base,
						(unsigned long long)a->size, g.thr[i].line);
		}
	return PRS_OK;
}

/* Each CPU's static image: its statics alone (no base, no dynamic slot). */
static int gen_build_image(struct gen_cpu *c)
{
	struct prs_cpu_layout l = c->layout;

	l.base = NULL;
	return prs_set_build(&l, NULL, 0, &c->image);
}

/* Every identifier the outputs define, with the line it comes from. */
struct gen_ident {
	char s[GEN_IDENT];
	unsigned line;
	int external;
};

static struct gen_ident gen_ids[GEN_MAX_THREADS * (GEN_MAX_CPUS + 1) + 2 * GEN_MAX_CPUS + 8];

static void gen_ident_add(unsigned *n, unsigned line, int external, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void gen_ident_add(unsigned *n, unsigned line, int external, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): as in gen_fail */
	(void)vsnprintf(gen_ids[*n].s, GEN_IDENT, fmt, ap);
	va_end(ap);
	gen_ids[*n].line = line;
	gen_ids[*n].external = external;
	(*n)++;
}

/* Names come from the description only inside the index enums, and a prefix
 * keeps those apart; what remains is C's limit on significant characters. */
static int gen_check_idents(void)
{
	unsigned n = 0;

	gen_ident_add(&n, 0, 0, "%s_NTHREADS", g.upper);
	gen_ident_add(&n, 0, 0, "%s_NCPUS", g.upper);
	gen_ident_add(&n, 0, 0, "%s_H", g.upper);
	gen_ident_add(&n, 0, 1, "%s_sets", g.prefix);
	gen_ident_add(&n, 0, 1, "%s_cpu_images", g.prefix);
	for (unsigned c = 0; c < g.ncpu; c++) {
		gen_ident_add(&n, g.cpu[c].line, 0, "%s_CPU_%s", g.upper, g.cpu[c].name);
		gen_ident_add(&n, g.cpu[c].line, 1, "%s_cpu%u_image", g.prefix, c);
	}
	for (unsigned t = 0; t < g.nthr; t++) {
		gen_ident_add(&n, g.thr[t].line, 0, "%s_THREAD_%s", g.upper, g.thr[t].name);
		for (unsigned c = 0; c < g.ncpu; c++)
			gen_ident_add(&n, g.thr[t].line, 1, "%s_set_%u_%u", g.prefix, t, c);
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++) {
			size_t k = gen_ids[i].external && gen_ids[j].external ? GEN_SIGNIFICANT_EXT
									      : GEN_SIGNIFICANT;

			if (strncmp(gen_ids[i].s, gen_ids[j].s, k) == 0)
				return gen_fail(gen_ids[i].line ? gen_ids[i].line : 1u, PRS_E_SYNTAX,
						"generated identifier %s is not distinct from %s "
						"(line %u) in its first %zu characters: shorten the "
						"name or --prefix", gen_ids[i].s, gen_ids[j].s,
						gen_ids[j].line ? gen_ids[j].line : gen_ids[i].line, k);
		}
	return PRS_OK;
}

static void gen_emit_set(FILE *f, const struct prs_set *s, const char *sym, const char *what)
{
	unsigned n = (unsigned)s->nstatic + s->ndyn;

	gen_out(f, "\n/* %s: %u static + %u dynamic of %u slots */\n", what, s->nstatic, s->ndyn,
		s->nslots);
	gen_out(f, "const struct prs_set %s = {\n\t.prbar = {", sym);
	for (unsigned i = 0; i < n; i++)
		gen_out(f, "%s[%u] = 0x%llxu", i ? ", " : " ", i, (unsigned long long)s->prbar[i]);
	gen_out(f, "%s },\n\t.prlar = {", n ? "" : " 0"); /* ISO C: no empty braces */
	for (unsigned i = 0; i < n; i++)
		gen_out(f, "%s[%u] = 0x%llxu", i ? ", " : " ", i, (unsigned long long)s->prlar[i]);
	if (!n)
		gen_out(f, " 0");
	gen_out(f, " },\n\t.gap = {");
	for (unsigned i = 0; i < g.max_set_regions; i++)
		gen_out(f, "%s%s0x%02x", i ? "," : " ", i && i % 12u == 0 ? "\n\t\t" : " ",
			s->gap[i]);
	gen_out(f, " },\n\t.nslots = %u,\n\t.nstatic = %u,\n\t.ndyn = %u,\n\t.arch = %u,\n};\n",
		s->nslots, s->nstatic, s->ndyn, s->arch);
}

/* CPU c's layout: its statics and, when it has one, its dynamic base layer. */
static void gen_emit_layout(FILE *f, unsigned c)
{
	const struct gen_cpu *cpu = &g.cpu[c];
	const struct prs_rangeset *b = &cpu->base.set;

	if (b->n) {
		gen_out(f, "\nstatic struct prs_rangeset_entry %s_cpu%u_base_e[%u] = {\n", g.prefix, c,
			(unsigned)b->n);
		for (unsigned i = 0; i < b->n; i++) {
			const struct prs_range *r = &b->e[i].r;

			gen_out(f, "\t{ { 0x%llxu, 0x%llxu, %u, %u, %u, %u }, %u },\n",
				(unsigned long long)r->base, (unsigned long long)r->size, r->perm,
				r->memtype, r->share, r->opts, b->e[i].refs);
		}
		gen_out(f, "};\nstatic const struct prs_rangeset %s_cpu%u_base = { %s_cpu%u_base_e, "
			   "%u, %u, %u };\n", g.prefix, c, g.prefix, c, (unsigned)b->n,
			(unsigned)b->n, (unsigned)b->arch);
	}
	gen_out(f, "\n/* cpu %s layout */\nconst struct prs_cpu_layout %s_cpu%u_layout = {\n"
		   "\t.arch = %u, .nregions = %u, .nstatic = %u,\n\t.statics = {", cpu->name,
		g.prefix, c, (unsigned)cpu->layout.arch, (unsigned)cpu->layout.nregions,
		(unsigned)cpu->layout.nstatic);
	for (unsigned i = 0; i < cpu->layout.nstatic; i++) {
		const struct prs_region *r = &cpu->layout.statics[i];

		gen_out(f, "%s[%u] = { 0x%llxu, 0x%llxu, %u, %u, %u, %u }", i ? ",\n\t\t" : " ", i,
			(unsigned long long)r->base, (unsigned long long)r->limit, r->perm,
			r->memtype, r->share, r->opts);
	}
	if (!cpu->layout.nstatic)
		gen_out(f, " { 0, 0, 0, 0, 0, 0 }");
	gen_out(f, " },\n\t.base = ");
	if (b->n)
		gen_out(f, "&%s_cpu%u_base", g.prefix, c);
	else
		gen_out(f, "0");
	gen_out(f, ",\n};\n");
}

/* Declarations shared by the header and a header-less C file. */
static void gen_emit_decls(FILE *f)
{
	unsigned nt = g.nthr ? g.nthr : 1u, nc = g.ncpu ? g.ncpu : 1u;

	for (unsigned c = 0; c < g.ncpu; c++)
		gen_out(f, "extern const struct prs_set %s_cpu%u_image; /* cpu %s */\n", g.prefix, c,
			g.cpu[c].name);
	for (unsigned t = 0; t < g.nthr; t++)
		for (unsigned c = 0; c < g.ncpu; c++)
			gen_out(f, "extern const struct prs_set %s_set_%u_%u; /* thread %s on cpu %s */\n",
				g.prefix, t, c, g.thr[t].name, g.cpu[c].name);
	gen_out(f, "/* [thread][cpu], indices as in the enums */\n"
		   "extern const struct prs_set *const %s_sets[%u][%u];\n", g.prefix, nt, nc);
	gen_out(f, "/* [cpu]: what that CPU's MPU holds at boot (static slots only) */\n"
		   "extern const struct prs_set *const %s_cpu_images[%u];\n", g.prefix, nc);
	gen_out(f, "/* [cpu]: the layout each CPU passes to prs_cpu_init */\n"
		   "extern const struct prs_cpu_layout *const %s_cpu_layouts[%u];\n", g.prefix, nc);
}

static const char *gen_basename(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void gen_emit_h(FILE *f)
{
	gen_out(f, "/* SPDX-License-Identifier: MIT */\n/* Generated by prs-gen from %s: do not "
		   "edit. */\n#ifndef %s_H\n#define %s_H\n\n#include \"prsched/build.h\"\n#include \"prsched/set.h\"\n\n",
		g.file, g.upper, g.upper);
	gen_out(f, "/* Thread indices (first index of %s_sets) */\nenum {\n", g.prefix);
	for (unsigned t = 0; t < g.nthr; t++)
		gen_out(f, "\t%s_THREAD_%s = %u,\n", g.upper, g.thr[t].name, t);
	gen_out(f, "\t%s_NTHREADS = %u\n};\n\n", g.upper, g.nthr);
	gen_out(f, "/* CPU indices (the id each CPU passes to prs_cpu_init) */\nenum {\n");
	for (unsigned c = 0; c < g.ncpu; c++)
		gen_out(f, "\t%s_CPU_%s = %u,\n", g.upper, g.cpu[c].name, c);
	gen_out(f, "\t%s_NCPUS = %u\n};\n\n", g.upper, g.ncpu);
	gen_emit_decls(f);
	gen_out(f, "\n#endif\n");
}

static void gen_emit_c(FILE *f)
{
	unsigned nt = g.nthr ? g.nthr : 1u, nc = g.ncpu ? g.ncpu : 1u;
	char what[2 * GEN_NAME + 32], sym[GEN_IDENT];

	gen_out(f, "/* SPDX-License-Identifier: MIT */\n/* Generated by prs-gen from %s: do not "
		   "edit. */\n#include \"prsched/build.h\"\n#include \"prsched/set.h\"\n", g.file);
	if (g.header)
		gen_out(f, "#include \"%s\"\n", gen_basename(g.header));
	gen_out(f, "\n#if PRS_MAX_REGIONS != %u\n#error \"generated for PRS_MAX_REGIONS=%u "
		   "(prs-gen --max-regions)\"\n#endif\n", g.max_regions, g.max_regions);
	gen_out(f, "#if PRS_MAX_SET_REGIONS != %u\n#error \"generated for PRS_MAX_SET_REGIONS=%u "
		   "(prs-gen --max-set-regions)\"\n#endif\n\n", g.max_set_regions,
		g.max_set_regions);
	if (!g.header)
		gen_emit_decls(f);
	for (unsigned c = 0; c < g.ncpu; c++) {
		(void)snprintf(what, sizeof(what), "cpu %s static image", g.cpu[c].name);
		(void)snprintf(sym, sizeof(sym), "%s_cpu%u_image", g.prefix, c);
		gen_emit_set(f, &g.cpu[c].image, sym, what);
		gen_emit_layout(f, c);
	}
	for (unsigned t = 0; t < g.nthr; t++)
		for (unsigned c = 0; c < g.ncpu; c++) {
			(void)snprintf(what, sizeof(what), "thread %s on cpu %s", g.thr[t].name,
				       g.cpu[c].name);
			(void)snprintf(sym, sizeof(sym), "%s_set_%u_%u", g.prefix, t, c);
			gen_emit_set(f, &g.sets[t][c], sym, what);
		}
	gen_out(f, "\n/* [thread][cpu], in description order */\nconst struct prs_set *const "
		   "%s_sets[%u][%u] = {\n", g.prefix, nt, nc);
	for (unsigned t = 0; t < g.nthr; t++) {
		gen_out(f, "\t{");
		for (unsigned c = 0; c < g.ncpu; c++)
			gen_out(f, "%s&%s_set_%u_%u", c ? ", " : " ", g.prefix, t, c);
		gen_out(f, " }, /* %s */\n", g.thr[t].name);
	}
	gen_out(f, "};\n\nconst struct prs_set *const %s_cpu_images[%u] = {", g.prefix, nc);
	for (unsigned c = 0; c < g.ncpu; c++)
		gen_out(f, "%s&%s_cpu%u_image", c ? ", " : " ", g.prefix, c);
	gen_out(f, " };\n\nconst struct prs_cpu_layout *const %s_cpu_layouts[%u] = {", g.prefix,
		nc);
	for (unsigned c = 0; c < g.ncpu; c++)
		gen_out(f, "%s&%s_cpu%u_layout", c ? ", " : " ", g.prefix, c);
	gen_out(f, " };\n");
}

static void gen_perm_text(unsigned perm, char out[6])
{
	out[0] = (perm & PRS_EL1_R) ? 'R' : '-';
	out[1] = (perm & PRS_EL1_W) ? 'W' : '-';
	out[2] = (perm & PRS_EL0_R) ? 'r' : '-';
	out[3] = (perm & PRS_EL0_W) ? 'w' : '-';
	out[4] = (perm & PRS_EXEC) ? 'x' : '-';
	out[5] = '\0';
}

static void gen_emit_map_set(FILE *f, const struct prs_set *s)
{
	static const char *const sh[] = { "none", "?", "outer", "inner" };

	for (unsigned i = 0; i < (unsigned)s->nstatic + s->ndyn; i++) {
		struct prs_region r;
		char p[6];

		if (prs_region_decode((enum prs_arch)s->arch, s->prbar[i], s->prlar[i], &r))
			continue;
		gen_perm_text(r.perm, p);
		gen_out(f, "  slot %2u  0x%012llx-0x%012llx  %s mt%u sh=%-5s  ", i,
			(unsigned long long)r.base, (unsigned long long)r.limit, p, r.memtype,
			sh[r.share & 3u]);
		if (i < s->nstatic)
			gen_out(f, "static  ");
		else
			gen_out(f, "gap %-3u ", s->gap[i]);
		gen_out(f, "PRBAR 0x%llx PRLAR 0x%llx\n", (unsigned long long)s->prbar[i],
			(unsigned long long)s->prlar[i]);
	}
}

static void gen_emit_map(FILE *f)
{
	gen_out(f, "prs-gen map of %s\n", g.file);
	for (unsigned c = 0; c < g.ncpu; c++)
		gen_out(f, "cpu %s: %s, %u regions, %u static\n", g.cpu[c].name,
			g.cpu[c].arch == PRS_ARCH_AARCH32 ? "aarch32" : "aarch64",
			g.cpu[c].nregions, g.cpu[c].nstatic);
	for (unsigned t = 0; t < g.nthr; t++)
		for (unsigned c = 0; c < g.ncpu; c++) {
			const struct prs_set *s = &g.sets[t][c];

			gen_out(f, "\nthread %s on cpu %s (domain %s): %u dynamic slots, %u free\n",
				g.thr[t].name, g.cpu[c].name,
				g.thr[t].domain >= 0 ? g.dom[g.thr[t].domain].name : "-", s->ndyn,
				s->nslots - s->nstatic - s->ndyn);
			gen_emit_map_set(f, s);
		}
}

static int gen_write(const char *path, void (*emit)(FILE *))
{
	FILE *f = fopen(path, "w");

	if (!f) {
		(void)fprintf(stderr, "prs-gen: cannot write %s: %s\n", path, strerror(errno));
		return 2;
	}
	emit(f);
	if (fclose(f) != 0 || g.io_err) {
		(void)fprintf(stderr, "prs-gen: write error on %s\n", path);
		return 2;
	}
	return 0;
}

static int gen_usage(void)
{
	(void)fprintf(stderr, "usage: prs-gen [-o sets.c] [-H sets.h] [-m sets.map] "
			      "[--prefix NAME] [--max-regions N] [--max-set-regions N] "
			      "description.txt\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *out_c = NULL, *out_map = NULL;
	FILE *in;
	int err, rc = 0;

	g.max_regions = PRS_MAX_REGIONS;
	g.max_set_regions = 0; /* 2 x max_regions unless given, as prsched/config.h */
	(void)snprintf(g.prefix, sizeof(g.prefix), "prs_gen");
	for (int i = 1; i < argc; i++) {
		uint64_t v;

		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out_c = argv[++i];
		} else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			out_map = argv[++i];
		} else if (strcmp(argv[i], "-H") == 0 && i + 1 < argc) {
			g.header = argv[++i];
		} else if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc) {
			if (!gen_is_ident(argv[++i]) || strlen(argv[i]) >= GEN_PREFIX)
				return gen_usage();
			(void)snprintf(g.prefix, sizeof(g.prefix), "%s", argv[i]);
		} else if (strcmp(argv[i], "--max-regions") == 0 && i + 1 < argc) {
			if (gen_number(argv[++i], &v) || v == 0 || v > PRS_MAX_REGIONS)
				return gen_usage();
			g.max_regions = (unsigned)v;
		} else if (strcmp(argv[i], "--max-set-regions") == 0 && i + 1 < argc) {
			if (gen_number(argv[++i], &v) || v == 0 || v > PRS_MAX_SET_REGIONS)
				return gen_usage();
			g.max_set_regions = (unsigned)v;
		} else if (argv[i][0] != '-' && !g.file) {
			g.file = argv[i];
		} else {
			return gen_usage();
		}
	}
	if (!g.file)
		return gen_usage();
	if (!g.max_set_regions)
		g.max_set_regions = 2u * g.max_regions;
	if (g.max_set_regions < g.max_regions || g.max_set_regions > PRS_MAX_SET_REGIONS)
		return gen_usage();
	for (size_t i = 0; g.prefix[i]; i++)
		g.upper[i] = (char)(g.prefix[i] >= 'a' && g.prefix[i] <= 'z' ? g.prefix[i] - 'a' + 'A'
									     : g.prefix[i]);
	in = fopen(g.file, "r");
	if (!in) {
		(void)fprintf(stderr, "prs-gen: cannot read %s: %s\n", g.file, strerror(errno));
		return 2;
	}
	err = gen_parse(in);
	(void)fclose(in);
	if (!err)
		err = gen_check_stacks();
	for (unsigned c = 0; !err && c < g.ncpu; c++)
		err = gen_build_image(&g.cpu[c]);
	for (unsigned t = 0; !err && t < g.nthr; t++)
		for (unsigned c = 0; !err && c < g.ncpu; c++)
			err = gen_build_one(t, c);
	if (!err)
		err = gen_check_idents();
	if (err)
		return 1;
	if (g.header)
		rc = gen_write(g.header, gen_emit_h);
	if (!rc && out_c)
		rc = gen_write(out_c, gen_emit_c);
	if (!rc && out_map)
		rc = gen_write(out_map, gen_emit_map);
	return rc;
}
