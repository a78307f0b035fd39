/* SPDX-License-Identifier: MIT */
/*
 * prsched publication protocol with ONE shared version pool per system
 * (issue 10): per-thread handles, per-version owner/epoch/cur metadata, one
 * system-wide writer lock, per-CPU announcements, reload requests and
 * synchronous revoke (spin 6.5). Step names (R1..R8, begin, commit, scan,
 * reload, ticket) are those of sync/src/reader.h and sync/src/publish.c;
 * the mapping to the C functions is at the end of this file.
 *
 * The protocol, as the model has it:
 *   pool: V versions (NV), each with owner[v] (handle or NONE), epoch[v],
 *     cur[v] (v is the current version of owner[v]); written only by the
 *     writer that holds the one system lock (wlock), which serializes the
 *     writers of ALL handles from begin to commit.
 *   handle h: word = (epoch << 3) | version index, seq_cst. Epochs are per
 *     handle, compared by serial arithmetic modulo EMOD (BEFORE below).
 *   CPU k: ann_h (handle being copied or NONE), ann_w (word read, with
 *     EXACT or without it: LOWER), loaded_h/loaded_w (what its MPU holds).
 *   switch to h (R1..R8), IRQs off, no loop, no CAS:
 *     R1 w1 = word; fast path if loaded_h == h && loaded_w == w1
 *     R2 ann_w = LOWER(w1); R3 ann_h = h; R4 w2 = word; R5 ann_w = EXACT(w2)
 *     R6 copy version idx(w2); R7 loaded_h = h, loaded_w = w2; R8 ann_h = NONE
 *   begin(h): lock; scan every CPU: ann_h, then ann_w if ann_h is a handle;
 *     v is pinned by CPU k iff ann_h == owner[v] and (ann_w EXACT ?
 *     idx(ann_w) == v : epoch[v] not BEFORE epoch(ann_w)). Pick any v with
 *     !cur[v] and not pinned; if there is none, re-scan (a pin wait).
 *   W1: the caller rewrites v (between begin and commit).
 *   commit(h, v) (W2 = P): e = epoch(word) + 1; cur[old] = 0; owner[v] = h;
 *     epoch[v] = e; cur[v] = 1; word = (e, v) seq_cst; reload scan: request
 *     a reload of every CPU with ann_h == h, or loaded_h == h && loaded_w !=
 *     word; unlock.
 *   reload IPI: clear the request; switch to loaded_h (same fast path).
 *   ticket (revoke): publish, then wait until no CPU the publish flagged has
 *     ann_h == h with an epoch BEFORE e, or loaded_h == h with one.
 *   fault (prs_fault, issue 13; NFAULT > 0): CPU k running h takes an MPU
 *     fault, IRQs off: R1 w1 = word (no fast path), R2..R5 as a switch;
 *     if (loaded_h, loaded_w) != (h, w2), copy the whole version idx(w2)
 *     first; fault-in: the region the thread touched, if version idx(w2)
 *     grants it and no slot holds it, over a victim slot; R7, R8.
 *
 * The MPU, region by region. A handle's set has regions 0..NREG-1 (ghost
 * vregs[v]: which ones version v grants), hottest first, more than the
 * NSLOT dynamic slots of a CPU (oversized). A revoke publishes a version
 * without region RREV = NREG - 1 (one that only a fault brings in), and
 * every later version of that handle lacks it too (no regrant). A slot
 * holds a token (handle, epoch, region) of the version AS THE POOL HELD IT
 * when the CPU read it, so reading a version the pool has reused yields
 * regions of another handle or epoch. A copy (switch, reload, fault)
 * writes every slot: the NSLOT hottest regions, the rest disabled; a
 * fault-in writes one.
 *
 * What is checked (pan -DSAFETY, exhaustive, no error and no invalid end
 * state):
 *   - no torn copy: no version is rewritten while a CPU copies it, and what
 *     a CPU copies is the version (handle, epoch) of the word it loaded,
 *     with owner/epoch metadata to match -- also when versions move from
 *     one handle to another;
 *   - the MPU (ghost mpu[]) holds regions of the set of the thread the CPU
 *     runs, at the epoch the CPU recorded, and of no other version (no
 *     foreign region: of another handle or epoch, or read from a version
 *     the pool reused), also after a fast path and after a fault;
 *   - once a revoke's ticket returns, no CPU's MPU holds the revoked region
 *     of that handle, and none ever does again (mpu_clean: checked for
 *     every CPU when the ticket returns and after every MPU write, the
 *     only steps that change it; a fault-in is such a write);
 *   - per CPU, the epochs it loads for one handle never go backwards;
 *   - after a revoke (ticket wait) returns, no CPU runs the handle with an
 *     older epoch (checked after every switch and between switches);
 *   - the pool bound (Claim 2 of the design): with V >= T + C + 1 (T
 *     handles, C CPUs) or -DASSERT_BOUND, a writer waits for a version
 *     ONLY when its scan saw a CPU announcing LOWER that had seen two
 *     publishes of its handle since its R1 (ghosts winh[]/seen[] count
 *     them). Every pin wait the model can reach is checked against it;
 *     -DASSERT_NO_WAIT shows (as an expected violation) that waits are
 *     reachable where the tests claim they are. With V = T + C + 1 a wait
 *     needs at least four publishes (two inside one CPU's window, one more
 *     pinned by the other CPU, and the one that waits), so only the
 *     four-publish configuration makes this check non-vacuous;
 *   - no revoke waits on a CPU that only a voluntary switch would release
 *     (monitor(): a safety check, so it also holds if CPUs stop scheduling);
 *   - no deadlock (invalid end states);
 *   - convergence: once the writers are done and pending reloads are taken,
 *     every CPU holds the last word of the handle it runs, and a switch to
 *     any handle loads that handle's last word.
 *
 * Epochs and the modulus. Every epoch comparison of the protocol (the LOWER
 * pin, the ticket's two tests) is BEFORE(a, b): d = (b - a) mod EMOD,
 * d != 0 && d < EMOD / 2, the shape of prs_epoch_before. The model is
 * faithful to the C modulus (2^21) as long as no compared pair is EMOD / 2
 * or more apart, in either model or C. In the model a handle publishes at
 * most NPUB0 + NPUB1 times (epochs 1..1 + NPUB0 + NPUB1), and a guard below
 * enforces NPUB0 + NPUB1 < EMOD / 2 (EMOD = 8, or 16 for four publishes),
 * so every comparison it makes is exact and epochs never wrap: the model
 * checks the comparisons' direction and the rule's shape, not wrap-around. In C, wrap is excluded by two
 * different bounds, only the first of which the protocol enforces:
 *   - pin comparisons: a version a LOWER(e) announce must pin was published
 *     inside that CPU's window, and every such publish keeps one more
 *     version pinned, so at most V - T of them fit before the writer waits
 *     (lag < V <= 1024 << 2^20);
 *   - ticket/loaded comparisons and the fast path's word equality: a CPU
 *     holding h at epoch e_old is not pinned by anything and h can be
 *     published without limit until it takes its reload IPI; the protocol
 *     needs every CPU to take that IPI (or switch) before 2^20 further
 *     publishes of the handle it holds (2^21 for the fast path's ABA).
 *     That is an assumption about the kernel, not a protocol bound.
 *
 * Memory model: each step is an atomic action on shared state, interleaved
 * sequentially consistently (Promela's semantics). The C code makes seq_cst
 * exactly the accesses whose order the argument takes from the single
 * total order S: R1, R3, R4, the publish store P, and the writers' loads of
 * ann_h (and of loaded_*); R2, R5, R7 (loaded_w), R8 are release stores,
 * loaded_h is relaxed, the writers load ann_w with acquire. The C11 side
 * (Claims 1-4 of the publish code) shows that every observation those
 * weaker accesses allow a writer is one this SC model has, or (the split
 * (ann_h, ann_w) read, see Reductions) one that cannot hurt. That C11 step
 * is argued there, not checked here. Also NOT covered: the version contents
 * as plain stores (ordered by P and R4, TSan in tests/stress and
 * tests/sync), MPU register transients, cache maintenance and coherency on
 * the R52 (QEMU tests, PRS_CACHE_MAINT), epoch wrap-around (see above),
 * abort (the caller's writes to v between begin and abort leave owner and
 * epoch of v as they were; v was free and stays free), handle creation
 * and finalization (the model's handles all exist from the start and
 * never end), and the set builder. Of the fault path: which slot a region
 * sits in (the model's copy writes every slot; that C's copy, which writes
 * [nstatic, max(end, hi)), covers every victim is argued in
 * percpu/src/fault.c), the AWAY write order (copy.h, host MPU model), the
 * look-up and permission test (a touched region the version lacks is a
 * real fault), and regrants after a revoke.
 *
 * Reductions (each keeps every behaviour that could break a property):
 *   - ghost updates and assertions ride on the step they describe; loads of
 *     a variable only the loading process writes (CPU k's own loaded_*, the
 *     pool metadata under the writer lock) are local computation;
 *   - cur[v] is not stored: it is the predicate CUR(v) below (owner[v]'s
 *     word names v). C stores it, updates it in commit together with the
 *     word under the lock, and only lock holders read it: the two agree at
 *     every point where a writer looks;
 *   - R2+R3 are one step: the writers read ann_h before ann_w, so a reader
 *     between R2 and R3 is seen with its previous ann_h (NONE, or a switch
 *     of the previous handle that has ended) and pins nothing it copies;
 *   - the end of R6, R7 and R8 are one step; a writer reading in between
 *     would only pin more versions, request more reloads or wait longer
 *     (conservative);
 *   - each writer reads one CPU's (ann_h, ann_w) or (loaded_h, loaded_w)
 *     pair in one step, ann before loaded as in C. For the pin scan this is
 *     NOT simply "a superset of some instant's pins" any more: C may pair
 *     ann_h of a switch S1 with ann_w of a later switch S2 of that CPU, and
 *     the pin test then matches S2's epoch or index against S1's handle's
 *     versions, which can pin other versions than any instant would. It is
 *     still safe: S1 has ended (S2's R2 is a release after S1's R8, read
 *     by the acquire ann_w load), and S2 and later switches of that CPU
 *     announce after the scan's ann_h load in S, so their R4 reads a word
 *     that is current while the writer holds the lock (cur, never picked)
 *     or the writer's own new one. What such a torn pair CAN do is pin
 *     versions nobody copies, i.e. cause a pin wait that the two-publishes
 *     condition does not explain (see the bound above): the bound is a
 *     property of the atomic-pair model, and of C only up to torn pairs.
 *     The lock acquisition (a right mover) and release (a left mover) are
 *     merged with their neighbours;
 *   - a reload request is set in the step that decides it; C collects the
 *     mask and calls the kernel's reload callback after the unlock. Setting
 *     it earlier only lets an IPI be taken earlier, which a voluntary
 *     switch to the same handle could do anyway, and leaves fewer requests
 *     pending for the checks that look at them (conservative);
 *   - idle: the kernel's idle thread has a handle no writer publishes (in
 *     C it holds a current version and counts in T); the model makes a
 *     switch to it one step, loaded_h = NONE, and gives it no version;
 *   - after R8, ann_w is dead (only read together with ann_h == h): reset;
 *     an idle CPU's loaded_w is dead likewise: reset;
 *   - versions never used yet (owner NONE) are indistinguishable: a writer
 *     that picks one picks the lowest (any used free version stays a free
 *     choice), so used versions always form a prefix of the pool;
 *   - the copy is checked at its start (R5) and end (R6/R7): with versions
 *     that differ in every slot, any overlap with a rewrite (W1 marks and
 *     writes, W2 sets owner/epoch and publishes) fails one of the checks;
 *   - fault path: the copy, the fault-in, R7 and R8 are one step (as the
 *     switch's end of R6, R7, R8); the touched region and the victim are
 *     chosen in that step (no earlier step depends on them), the victim
 *     among all slots (round robin is one of the choices); slots are kept
 *     sorted (which tokens a CPU holds matters to the checks, not where);
 *     a CPU faults only on the thread it runs (prs_fault's h), and a
 *     touched region that is resident is a real fault with no write.
 *   R1, R4 and R5 stay separate steps: the gaps between the loads and the
 *   announcements are what BROKEN_SINGLE_LOAD and BROKEN_LOWER_AS_EXACT
 *   need.
 *
 * Spin-waits: the C writer spins when no version is free and while a
 * ticket waits; so does the model (a busy loop revisits states and costs
 * none). That those waits end is the job of the bound check and monitor().
 *
 * Broken variants (-DBROKEN_x; each must be rejected, see CMakeLists.txt):
 *   BROKEN_REUSE          writer picks a version without looking at announces
 *   BROKEN_REUSE_PINNED   a LOWER announce pins nothing (only EXACT pins):
 *                         a version is reused under a CPU between R4 and R5
 *   BROKEN_OWNER          the pin test compares ann_h with the handle being
 *                         written instead of owner[v] (the per-handle scan
 *                         carried over): another handle's reader is ignored
 *   BROKEN_CUR_OWN        begin excludes only the current version of the
 *                         handle being written (the per-handle habit), not
 *                         every cur[v]: another handle's current version is
 *                         rewritten under its next reader
 *   BROKEN_SINGLE_LOAD    CPU announces EXACT(w1) after one load, copies idx(w1)
 *   BROKEN_NO_ANN_RELOAD  publish requests no reload when ann_h == h
 *   BROKEN_LOWER_AS_EXACT LOWER(w1) pins only idx(w1), not every newer version
 *   BROKEN_REVOKE_NO_ANN  ticket waits only on loaded_*, ignores ann_*
 *   BROKEN_REVOKE_ORDER   ticket reads loaded_* before ann_*
 *   BROKEN_FAST_WORD_ONLY fast path compares the word but not the handle
 *                         (words of two handles can now be equal: a version
 *                         and its epoch number are reused across handles)
 * and of the fault path (NFAULT > 0):
 *   BROKEN_FAULT_UNPINNED  the fault reads the version it has loaded, with
 *                          no R1..R8: once superseded, nothing pins it, and
 *                          the pool reuses it (a foreign region)
 *   BROKEN_FAULT_NO_ANN    R1, then the copy and fault-in from idx(w1) and
 *                          R7, with no announce: the version is superseded
 *                          and reused between R1 and the read
 *   BROKEN_FAULT_NO_COPY   the fault pinned a newer version than the MPU
 *                          holds, faults in from it and records it (R7)
 *                          without copying the whole set: the ticket sees
 *                          the new word and returns while a region of the
 *                          old version, the revoked one, is still resident
 *   BROKEN_FAULT_NO_RECORD the fault faults in from a newer version with
 *                          neither the whole copy nor R7: the MPU mixes two
 *                          versions
 * REVOKE_ONLY keeps only the revoke checks (drops the copy, owner and
 * foreign-region ones), to tell which variants break the revoke itself.
 * All but NO_RECORD do (CMakeLists.txt checks each under REVOKE_ONLY):
 *   - NO_COPY, even with one handle: R7 records a version the MPU holds
 *     only in part, the ticket reads it and returns;
 *   - UNPINNED and NO_ANN, with two handles: the version read unpinned is
 *     reused for the other handle h', so the CPU, running h, holds a
 *     region of h'. No scan of h' flags that CPU (its ann_h and loaded_h
 *     are h): h''s revoke returns with the region resident, or the fault
 *     brings it in after the return. With one handle they show only as
 *     foreign regions (a reused version then holds a later version of h,
 *     and the CPU's loaded_* keep h's tickets waiting);
 *   - NO_RECORD is safe for the revoke (long_fault_no_record_revoke_safe):
 *     loaded_* stay OLDER than what the MPU holds, which only flags the
 *     CPU more, and the ticket waits for a reload or switch, which
 *     rewrites every slot. It is rejected because the MPU then mixes two
 *     versions (whose regions may overlap: invariant 3) and no longer
 *     holds the version loaded_* name, the invariant the scans and tickets
 *     are argued from.
 * So the fault's announce and pin serve the revoke too, not only the
 * contents (Claim 1): they keep every region a CPU holds one of the
 * handle its loaded_h names, the only handle whose scans see it; and R7
 * must never record a version the MPU does not hold whole. (In C an
 * unpinned read of a version being rewritten can also pair one region's
 * PRBAR with another's PRLAR, spanning any memory; the model writes a
 * version in one step, so it shows such reads as foreign regions.)
 *
 * Parameters (-D): NH handles (1 or 2); NV versions in the pool (default
 * NH + NCPU + 1, the design's T + C + 1); NW writers (writer i publishes on
 * handle i % NH; all take the one system lock); NPUB0/NPUB1 publishes by
 * writer 0/1; writer 0's last one revokes (unless NOREVOKE), writer 1's too
 * if REVOKE1=1. Two CPUs, each switching among the handles and idle, taking
 * reloads, any number of times. FREE_LOWEST: take the lowest free version
 * instead of any. ASSERT_BOUND: check the pool bound even with a smaller
 * pool; ASSERT_NO_WAIT: fail at the first pin wait. NFAULT: CPUs
 * 0..NFAULT-1 also take MPU faults (default 0: none); NSLOT dynamic slots
 * per CPU, NREG regions per set (NREG > NSLOT, at most 4).
 *
 * Mapping to the design and the C code: see the table at the end of this file.
 */

#ifndef NH
#define NH 1
#endif
#ifndef NPUB0
#define NPUB0 2                      /* publishes by writer 0; its last revokes */
#endif
#ifndef NPUB1
#define NPUB1 1                      /* publishes by writer 1 */
#endif
#ifndef REVOKE1
#define REVOKE1 0                    /* 1: writer 1's last publish revokes too */
#endif
#ifdef NOREVOKE
#define REVOKE0 0                    /* no revoke at all */
#else
#define REVOKE0 1
#endif
#ifndef NW
#define NW 2
#endif
#define NCPU 2
#ifndef NV
#define NV (NH + NCPU + 1)           /* the design's V = T + C + 1 */
#endif
#ifndef EMOD
#define EMOD 8                       /* epochs modulo EMOD (4 bits in a word) */
#endif
#ifndef NFAULT
#define NFAULT 0                     /* CPUs 0..NFAULT-1 take MPU faults */
#endif
#ifndef NSLOT
#define NSLOT 2                      /* dynamic MPU slots per CPU */
#endif
#ifndef NREG
#define NREG 3                       /* regions of a full set: oversized */
#endif

#if NH < 1 || NH > 2
#error "NH: the CPUs' switch choices are written out for 1 or 2 handles"
#endif
#if NV < NH + 1 || NV > 7
#error "NV: one current version per handle plus at least one, at most 7"
#endif
#if EMOD != 4 && EMOD != 8 && EMOD != 16
#error "EMOD: 4, 8 or 16 (the epoch field of a word has 4 bits)"
#endif
#if NPUB0 + NPUB1 >= EMOD / 2
#error "every compared epoch pair must stay less than EMOD / 2 apart (header)"
#endif
#if NFAULT < 0 || NFAULT > NCPU
#error "NFAULT: how many of the CPUs take faults"
#endif
#if NSLOT < 1 || NREG <= NSLOT || NREG > 4
#error "NSLOT, NREG: an oversized set (NREG > NSLOT), at most 4 regions (a token's 2 bits)"
#endif

#define NONE 15                      /* ann_h / loaded_h / owner: no handle */
#define EXACT 128                    /* ann_w flag; without it: LOWER */
#define EPOCH(w) (((w) & 127) >> 3)
#define IDX(w) ((w) & 7)
#define WORD(e, v) (((e) << 3) | (v))
#define VAL(h, e) ((((h) + 1) << 4) | (e)) /* the set of version e of h */
/* Serial arithmetic: a is before b (prs_epoch_before's shape). */
#define EDIFF(a, b) (((b) + EMOD - (a)) % EMOD)
#define BEFORE(a, b) (EDIFF(a, b) != 0 && EDIFF(a, b) < EMOD / 2)
/* cur[v]: v is the current version of its owner (see Reductions). */
#define CUR(v) (owner[v] != NONE && IDX(word[owner[v]]) == (v))

/*
 * Regions and the MPU: a handle's set has regions 0..NREG-1 (bit r of a
 * version's vregs), hottest first; a revoke removes region RREV, the last
 * (one only a fault brings in), from that version on. An MPU slot holds a
 * token TOK(VAL(h, e), r): region r as version (h, e) of the pool had it
 * when the CPU read it, or 0 (disabled).
 */
#define ALLREGS ((1 << NREG) - 1)
#define RREV (NREG - 1)
#define TOK(val, r) (((val) << 2) | (r))
#define TVAL(t) ((t) >> 2)
#define TH(t) (((t) >> 6) - 1)
#define TE(t) (((t) >> 2) & 15)
#define TREG(t) ((t) & 3)
#define SLOT(k, i) mpu[(k) * NSLOT + (i)]

/* Trail replay (spin -t) prints these; verification ignores printf. */
#define SHOW(w) EPOCH(w), IDX(w)
#define SHOWT(t) TH(t), TE(t), TREG(t)

/* Per handle: the published word. */
byte word[NH];
/* The shared pool: metadata, and (ghost) the set each version holds. */
byte owner[NV];
byte vepoch[NV];
bool wlock;                          /* the one system-wide writer lock */

/* Per CPU: announcement, what its MPU holds, pending reload IPI. */
byte ann_h[NCPU];
byte ann_w[NCPU];
byte loaded_h[NCPU];
byte loaded_w[NCPU];
bool reload_req[NCPU];

/* Ghost state: read only by assertions. */
byte vdata[NV];                      /* the set a version holds (all slots) */
byte vregs[NV];                      /* its regions: bit r */
bool vwriting[NV];                   /* version is being rewritten */
byte mpu[NCPU * NSLOT];              /* CPU k's dynamic slots: SLOT(k, i), tokens */
byte running[NCPU];                  /* handle of the thread CPU k runs */
byte revoked[NH];                    /* epoch of the last completed revoke */
byte wdone;                          /* writers finished */
byte winh[NCPU];                     /* handle of CPU k's R1..R5 window, or NONE */
byte seen[NCPU];                     /* publishes of winh[k] since R1 (max 2) */

/*
 * CPU k executes code of the thread it runs: its MPU must hold regions of
 * that thread's set, of the epoch the CPU recorded and of no other version
 * (the hottest one at least), not older than a completed revoke. Checked
 * right after every switch and fault, and whenever the CPU is between
 * them. (Plain >= on ghosts: the model's epochs never wrap, header.)
 */
inline thread_check(k)
{
	if
	:: running[k] != NONE ->
		assert(loaded_h[k] == running[k]);
		assert(SLOT(k, 0) != 0);     /* sorted: nonempty slots first */
#ifndef REVOKE_ONLY
		i = 0;
		do
		:: i < NSLOT ->              /* no foreign version */
			assert(SLOT(k, i) == 0 ||
			       TVAL(SLOT(k, i)) == VAL(running[k], EPOCH(loaded_w[k])));
			i++
		:: else -> break
		od;
		i = 0;
#endif
		assert(EPOCH(loaded_w[k]) >= revoked[running[k]])   /* revoke */
	:: else ->
		assert(loaded_h[k] == NONE);
		assert(SLOT(k, 0) == 0)      /* sorted: all slots disabled */
	fi
}

/*
 * The revoke, region by region: once a ticket of h has returned (revoked[h]
 * set), no slot of any CPU holds region RREV of h, of any version. Checked
 * when the ticket returns and after every MPU write (only those change it).
 */
inline mpu_clean(x)
{
	x = 0;
	do
	:: x < NCPU * NSLOT ->
		assert(mpu[x] == 0 || TREG(mpu[x]) != RREV || TH(mpu[x]) >= NH ||
		       revoked[TH(mpu[x])] == 0);
		x++
	:: else -> break
	od;
	x = 0
}

/*
 * Slots in a canonical order (descending tokens, disabled last): where a
 * region sits does not matter to any check, only which regions a CPU holds.
 */
inline mpu_sort(k)
{
	i = 0;
	do
	:: i + 1 < NSLOT ->
		j = 0;
		do
		:: j + 1 < NSLOT - i ->
			if
			:: SLOT(k, j) < SLOT(k, j + 1) ->
				SLOT(k, j) = SLOT(k, j) ^ SLOT(k, j + 1);
				SLOT(k, j + 1) = SLOT(k, j) ^ SLOT(k, j + 1);
				SLOT(k, j) = SLOT(k, j) ^ SLOT(k, j + 1)
			:: else -> skip
			fi;
			j++
		:: else -> break
		od;
		i++
	:: else -> break
	od;
	i = 0;
	j = 0
}

/*
 * The copy (R6, prs_copy): every dynamic slot of CPU k is written, with the
 * NSLOT hottest regions of version v as the pool holds it now, the rest
 * disabled. (C writes [nstatic, max(end, hi)); the slots above hi are
 * disabled already: the same thing.)
 */
inline mpu_copy(k, v)
{
	i = 0;
	j = 0;
	do
	:: j < NSLOT ->
		if
		:: i < NREG && (vregs[v] & (1 << i)) -> SLOT(k, j) = TOK(vdata[v], i); j++
		:: i >= NREG -> SLOT(k, j) = 0; j++
		:: else -> skip
		fi;
		i++
	:: else -> break
	od;
	i = 0;
	j = 0
}

/*
 * The fault-in (fault_serve, fault_load): the thread touched region r;
 * version v as the pool holds it now grants it and no slot holds it (the
 * read-back of PRBARs): write it over victim slot s. Otherwise a real
 * fault (region not in the set) or no MPU miss (resident): no write.
 */
inline fault_in(k, v)
{
	i = 0;
	do
	:: i < NSLOT && SLOT(k, i) != TOK(vdata[v], r) -> i++
	:: else -> break
	od;
	if
	:: i == NSLOT && (vregs[v] & (1 << r)) ->
		printf("cpu%d fault-in: (h%d,e%d) r%d over slot %d\n", k, SHOWT(TOK(vdata[v], r)), s);
		SLOT(k, s) = TOK(vdata[v], r)
	:: i == NSLOT && !(vregs[v] & (1 << r)) ->
		printf("cpu%d fault on r%d: real fault (not in v%d)\n", k, r, v)
	:: else -> printf("cpu%d fault on r%d: resident, no write\n", k, r)
	fi;
	i = 0
}

inline run_thread(k)
{
	d_step { thread_check(k) }
}

/*
 * R1 of the switch on CPU k to handle h: w1 = load(word); the fast path
 * when the MPU already holds it (zero MPU writes). Leaves fast set; opens
 * the ghost R1..R5 window otherwise.
 */
inline switch_load(k)
{
	w1 = word[h];
#ifdef BROKEN_FAST_WORD_ONLY
	fast = (loaded_w[k] == w1);
#else
	fast = (loaded_h[k] == h && loaded_w[k] == w1);
#endif
	running[k] = h;
	printf("cpu%d switch h%d: w1 = (e%d,v%d), fast path %d\n", k, h, SHOW(w1), fast);
	if
	:: fast -> w1 = 0; h = 0; thread_check(k)
	:: else -> winh[k] = h; seen[k] = 0
	fi
}

/* What CPU k copies is version v as h's epoch e published it, untouched. */
inline copy_check(k, v, e)
{
#ifndef REVOKE_ONLY
	assert(!vwriting[v]);
	assert(vdata[v] == VAL(h, e))
#else
	skip
#endif
}

/* R2..R5 of a switch or a fault (prs_read_pin): announce, load again, pin. */
inline announce_pin(k)
{
#ifdef BROKEN_SINGLE_LOAD
	d_step {                             /* announce after one load */
		ann_h[k] = h;
		ann_w[k] = w1 | EXACT;
		w2 = w1;
		w1 = 0;
		winh[k] = NONE; seen[k] = 0;
		printf("cpu%d announces EXACT(e%d,v%d), copies v%d\n", k, SHOW(w2), IDX(w2));
		copy_check(k, IDX(w2), EPOCH(w2))
	}
#else
	d_step {                             /* R2, R3: announce LOWER(epoch(w1)) */
		ann_w[k] = w1;
		ann_h[k] = h;
		printf("cpu%d announces h%d LOWER(e%d)\n", k, h, EPOCH(w1));
		w1 = 0
	};
	d_step {                             /* R4: second load */
		w2 = word[h];
		printf("cpu%d w2 = (e%d,v%d)\n", k, SHOW(w2))
	};
	d_step {                             /* R5: announce EXACT(w2); copy starts */
		ann_w[k] = w2 | EXACT;
		winh[k] = NONE; seen[k] = 0;
		printf("cpu%d announces EXACT(e%d,v%d), copy starts\n", k, SHOW(w2));
		copy_check(k, IDX(w2), EPOCH(w2))
	}
#endif
}

/*
 * At the end of the copy (R6): the version is still h's epoch(w2), and
 * epochs of one handle never go backwards on this CPU.
 */
inline pinned_check(k)
{
	copy_check(k, IDX(w2), EPOCH(w2));
#ifndef REVOKE_ONLY
	assert(owner[IDX(w2)] == h && vepoch[IDX(w2)] == EPOCH(w2));
#endif
	assert(loaded_h[k] != h || EPOCH(w2) >= EPOCH(loaded_w[k]))
}

/* R7, R8: record what the MPU holds, unannounce; back to the thread. */
inline read_done(k)
{
#ifndef BROKEN_FAULT_NO_RECORD
	loaded_h[k] = h;
	loaded_w[k] = w2;
#else
	if
	:: !flt -> loaded_h[k] = h; loaded_w[k] = w2
	:: else -> skip                      /* wrong: the fault records nothing */
	fi;
#endif
	ann_h[k] = NONE;
	ann_w[k] = 0;                        /* dead: read only with ann_h == h */
	w2 = 0;
	h = 0;
	flt = false;
	thread_check(k);
	skip                                 /* spin: a d_step must not end in an if */
}

/* The rest of the switch: straight-line, no wait, no CAS. */
inline switch_slow(k)
{
	announce_pin(k);
	d_step {                             /* R6 ends, R7, R8: record, unannounce */
		pinned_check(k);
		printf("cpu%d copy done, loaded h%d (e%d,v%d)\n", k, h, SHOW(w2));
		mpu_copy(k, IDX(w2));
		mpu_sort(k);
		mpu_clean(i);
		read_done(k)
	}
}

/*
 * The fault path (prs_fault) after its R1: the thread touched region r
 * (any of the set's, or one it lost), the victim is slot s (any: round
 * robin is one choice). R2..R5; copy the whole version first if the MPU
 * does not hold (h, w2); fault-in; R7, R8. The copy, the fault-in, R7 and
 * R8 are one step (Reductions).
 */
inline fault_slow(k)
{
#if defined(BROKEN_FAULT_UNPINNED)
	atomic {
		do :: r + 1 < NREG -> r++ :: break od;
		do :: s + 1 < NSLOT -> s++ :: break od;
		d_step {                     /* wrong: the loaded version, unpinned */
			h = loaded_h[k];
			w2 = loaded_w[k];
			printf("cpu%d fault reads its loaded v%d, no announce\n", k, IDX(w2));
			fault_in(k, IDX(w2));
			mpu_sort(k);
			mpu_clean(i);
			r = 0; s = 0; w2 = 0; h = 0; flt = false;
			thread_check(k)
		}
	}
#else
#if defined(BROKEN_FAULT_NO_ANN)
	d_step { w2 = w1; w1 = 0; winh[k] = NONE; seen[k] = 0 };  /* wrong: no R2..R5 */
#else
	announce_pin(k);
#endif
	atomic {
		do :: r + 1 < NREG -> r++ :: break od;
		do :: s + 1 < NSLOT -> s++ :: break od;
		d_step {                     /* R6 if needed, fault-in, R7, R8 */
			pinned_check(k);
			if
			:: loaded_h[k] != h || loaded_w[k] != w2 ->
#if defined(BROKEN_FAULT_NO_COPY) || defined(BROKEN_FAULT_NO_RECORD)
				printf("cpu%d fault: holds (e%d,v%d), does not copy (e%d,v%d)\n",
				       k, SHOW(loaded_w[k]), SHOW(w2))   /* wrong */
#else
				printf("cpu%d fault: copies (e%d,v%d)\n", k, SHOW(w2));
				mpu_copy(k, IDX(w2))
#endif
			:: else -> skip
			fi;
			fault_in(k, IDX(w2));
			mpu_sort(k);
			mpu_clean(i);
			r = 0;
			s = 0;
			read_done(k)
		}
	}
#endif
}

proctype cpu(byte k)
{
	byte h, w1, w2, t, r, s, i, j;
	bool fast, flt;

	/*
	 * Between switches, IRQs on: switch to a handle or to idle, take a
	 * reload IPI, or run thread code. One copy of the slow path serves
	 * both the switch and the reload.
	 */
between:
	do
	:: d_step { h = 0; switch_load(k) }; break
#if NH > 1
	:: d_step { h = 1; switch_load(k) }; break
#endif
	/*
	 * Idle: the MPU holds no dynamic set. The model also clears loaded_w;
	 * its old value only ever matters after a writer read loaded_h == h,
	 * and then only to flag or wait on a CPU that is now idle.
	 */
	:: d_step {
		loaded_h[k] = NONE; loaded_w[k] = 0; running[k] = NONE;
		i = 0;
		do
		:: i < NSLOT -> SLOT(k, i) = 0; i++
		:: else -> break
		od;
		i = 0;
		printf("cpu%d idle\n", k)
	   }
	:: d_step {
		/* the reload IPI: clear the request first, so none is lost */
		reload_req[k] -> reload_req[k] = false;
		printf("cpu%d takes the reload IPI\n", k);
		if
		:: loaded_h[k] != NONE -> h = loaded_h[k]; switch_load(k)
		:: else -> fast = true
		fi
	   }; break
#if NFAULT > 0
	/* The thread faults: prs_fault(k, its handle), IRQs off. R1, no fast path. */
	:: d_step {
		k < NFAULT && running[k] != NONE ->
		h = running[k];
		flt = true;
#ifndef BROKEN_FAULT_UNPINNED
		w1 = word[h];
		winh[k] = h; seen[k] = 0;
#endif
		printf("cpu%d fault in h%d: w1 = (e%d,v%d)\n", k, h, SHOW(w1))
	   }; break
#endif
	:: run_thread(k)
	:: wdone == NW && !reload_req[k] -> goto converge
	od;
	if
	:: fast -> fast = false
#if NFAULT > 0
	:: flt -> fault_slow(k)
#endif
	:: else -> switch_slow(k)
	fi;
	goto between;

converge:
	run_thread(k);
	assert(loaded_h[k] == NONE || loaded_w[k] == word[loaded_h[k]]);
	/* Convergence: a switch to any handle now loads its last version. */
	do
	:: t < NH ->
		d_step { h = t; switch_load(k) };
		if
		:: fast -> fast = false
		:: else -> switch_slow(k)
		fi;
		assert(loaded_h[k] == t && loaded_w[k] == word[t]);
		run_thread(k);
		t++
	:: else -> break
	od
}

/*
 * The pin test for version v against the announce (a, aw) just loaded;
 * h is the handle being written.
 */
#if defined(BROKEN_OWNER)
#define OWNS(v) (a == h)                     /* wrong: the writer's handle */
#else
#define OWNS(v) (owner[v] == a)
#endif
#if defined(BROKEN_LOWER_AS_EXACT)
#define RULE(v) (IDX(aw) == (v))
#elif defined(BROKEN_REUSE_PINNED)
#define RULE(v) ((aw & EXACT) && IDX(aw) == (v))   /* LOWER pins nothing */
#else
#define RULE(v) ((aw & EXACT) -> (IDX(aw) == (v)) : !BEFORE(vepoch[v], EPOCH(aw)))
#endif

/*
 * Scan of CPU k in begin: load ann_h, then ann_w if ann_h is a handle, and
 * add the versions it pins (the metadata is written only under the lock
 * we hold: local reads). Ghost: twice records that the scan saw a CPU
 * announcing LOWER after two publishes of its handle since its R1.
 */
inline scan_cpu(k)
{
	a = ann_h[k];
#ifdef BROKEN_REUSE
	a = NONE;
#endif
	if
	:: a != NONE ->
		aw = ann_w[k];
		v = 0;
		do
		:: v < NV ->
			if
			:: OWNS(v) && RULE(v) -> pins = pins | (1 << v)
			:: else -> skip
			fi;
			v++
		:: else -> break
		od;
		if
		:: !(aw & EXACT) && seen[k] >= 2 -> twice = true
		:: else -> skip
		fi;
		v = 0;
		aw = 0
	:: else -> skip
	fi;
	a = 0
}

/*
 * avail = the versions begin may pick: not cur, not pinned; of the never
 * used ones (owner NONE) only the lowest (Reductions). Clears pins.
 */
inline free_versions()
{
	v = 0;
	do
	:: v < NV ->
		if
#ifdef BROKEN_CUR_OWN
		:: !(pins & (1 << v)) && IDX(word[h]) != v && (owner[v] != NONE || !fresh) ->
#else
		:: !(pins & (1 << v)) && !CUR(v) && (owner[v] != NONE || !fresh) ->
#endif
			avail = avail | (1 << v)
		:: else -> skip
		fi;
		if
		:: owner[v] == NONE -> fresh = true
		:: else -> skip
		fi;
		v++
	:: else -> break
	od;
	v = 0;
	fresh = false;
	pins = 0
}

/* A pin wait: no version is free. */
inline pin_wait()
{
	printf("writer%d: no free version, re-scans (pin wait)\n", id);
#ifdef ASSERT_NO_WAIT
	assert(false);
#endif
#if NV >= NH + NCPU + 1 || defined(ASSERT_BOUND)
	/* the bound: only a CPU that saw two publishes in its window */
	assert(twice);
#endif
	skip
}

/*
 * Reload scan of CPU k after publishing WORD(e, b): request a reload if it
 * announces h (ann_h), or holds h at another word (loaded_h, then
 * loaded_w). ann_h is read first: a CPU that has unannounced has already
 * recorded what it loaded. "last" also releases the lock (a left mover).
 */
inline request_reload(k, last)
{
	d_step {                                     /* ann_h */
		a = ann_h[k];
#ifdef BROKEN_NO_ANN_RELOAD
		a = NONE;
#endif
		if
		:: a == h ->
			reload_req[k] = true;
			flagged = flagged | (1 << k);
			printf("writer%d: reload request to cpu%d (announces)\n", id, k);
			if
			:: last -> wlock = false
			:: else -> skip
			fi
		:: else -> skip
		fi
	};
	if
	:: a != h ->
		d_step {                             /* loaded_h, loaded_w */
			if
			:: loaded_h[k] == h && loaded_w[k] != WORD(e, b) ->
				reload_req[k] = true;
				flagged = flagged | (1 << k);
				printf("writer%d: reload request to cpu%d (holds another word)\n", id, k)
			:: else -> skip
			fi;
			if
			:: last -> wlock = false
			:: else -> skip
			fi;
			a = 0
		}
	:: else -> a = 0
	fi
}

/*
 * Ticket wait: until no CPU this publish flagged announces or holds h with
 * an epoch BEFORE e:
 *   T1: ann_h == h && BEFORE(epoch(ann_w), e)        -> wait
 *   T2: loaded_h == h && BEFORE(epoch(loaded_w), e)  -> wait
 * in that order (BROKEN_REVOKE_ORDER swaps it). The C code spins; so does
 * the model. That the wait always ends is checked by monitor() below.
 */
inline revoke_ann_older()
{
	d_step { older = (ann_h[k] == h && BEFORE(EPOCH(ann_w[k]), e)) }
}

inline revoke_loaded_older()
{
	d_step { older = (loaded_h[k] == h && BEFORE(EPOCH(loaded_w[k]), e)) }
}

inline revoke_wait()
{
	k = 0;
	do
	:: k == NCPU -> break
	:: k < NCPU && !(flagged & (1 << k)) -> k++
	:: k < NCPU && (flagged & (1 << k)) ->
#if defined(BROKEN_REVOKE_ORDER)
rwait:		revoke_loaded_older();               /* T2 first: wrong */
		if
		:: older -> skip
		:: else -> revoke_ann_older()
		fi;
#elif defined(BROKEN_REVOKE_NO_ANN)
rwait:		revoke_loaded_older();               /* T1 missing */
#else
rwait:		revoke_ann_older();                  /* T1 */
		if
		:: older -> skip
		:: else -> revoke_loaded_older()     /* T2 */
		fi;
#endif
		if
		:: older -> older = false            /* spin: read again */
		:: else -> k++
		fi
	od;
	k = 0
}

/* This publish (writer id's p-th of npub) is a revoke. */
#define REVOKES (p == npub - 1 && ((id == 0 && REVOKE0) || (id == 1 && REVOKE1)))

proctype writer(byte id)
{
	byte h, p, npub, e, b, k, a, aw, v, pins, avail, flagged;
	bool older, twice, fresh;

	d_step {
		h = id % NH;
		npub = (id == 0 -> NPUB0 : NPUB1)
	};
	do
	:: p < npub ->
		/*
		 * begin: take the system lock (a right mover: merged with what
		 * follows); every word and the pool metadata are stable while we
		 * hold it. Scan CPU 0, CPU 1; pick a version that is not cur and
		 * not pinned, or re-scan.
		 */
		d_step {
			!wlock -> wlock = true;
			e = (EPOCH(word[h]) + 1) % EMOD;
			printf("writer%d locks the pool for h%d e%d\n", id, h, e);
			scan_cpu(0)
		};
		do
		:: d_step { scan_cpu(1); free_versions() };
			if
			:: avail == 0 ->
				pin_wait();
				d_step { twice = false; scan_cpu(0) }
			:: else -> twice = false; break
			fi
		od;
		/* Any free version (or the lowest, FREE_LOWEST); W1: rewrite it. */
		atomic {
			b = 0;
			do
			:: avail & (1 << b) -> break
#ifdef FREE_LOWEST
			:: else -> b++
#else
			:: (avail >> (b + 1)) != 0 -> b++
#endif
			od;
			avail = 0;
			vwriting[b] = true;
			vdata[b] = VAL(h, e);
			/* a revoke removes region RREV, from this version on */
			vregs[b] = vregs[IDX(word[h])] & (REVOKES -> ALLREGS - (1 << RREV) : ALLREGS);
			printf("writer%d rewrites v%d (was h%d e%d)\n", id, b, owner[b], vepoch[b])
		};
		/*
		 * W2 = commit: cur[old] = 0 (implicit), owner, epoch, cur[v] = 1,
		 * then P: word = (e, b), seq_cst. Ghost: count the publish in every
		 * open R1..R5 window of h.
		 */
		d_step {
			owner[b] = h;
			vepoch[b] = e;
			vwriting[b] = false;
			word[h] = WORD(e, b);
			if
			:: winh[0] == h && seen[0] < 2 -> seen[0]++
			:: else -> skip
			fi;
			if
			:: winh[1] == h && seen[1] < 2 -> seen[1]++
			:: else -> skip
			fi;
			printf("writer%d publishes h%d (e%d,v%d)\n", id, h, e, b)
		};
		request_reload(0, false);
		request_reload(1, true);         /* and release the lock */
		b = 0;
		if
		:: REVOKES ->
			revoke_wait();
			d_step {                 /* the ticket wait returns */
				if
				:: revoked[h] < e -> revoked[h] = e
				:: else -> skip
				fi;
				mpu_clean(v);    /* no CPU holds the revoked region */
				printf("writer%d: revoke of h%d at e%d returns\n", id, h, e)
			}
		:: else -> skip
		fi;
		d_step { p++; e = 0; flagged = 0 }
	:: else -> break
	od;
	wdone++
}

/*
 * No ticket waits forever, as a safety check: a ticket must never wait on
 * a CPU that sits between switches with no reload pending while it holds h
 * older than the ticket. Such a CPU changes nothing until it schedules,
 * which it never has to. Every other wait ends after a bounded number of
 * steps of the CPU (a switch in progress, or the pending reload IPI).
 * The guard is enabled only in a violating state, so this process adds no
 * states. Pids: init 0, cpu(k) k + 1, writer(i) 3 + i, this 5.
 */
#define STUCK_ON(w, c) (writer[w]:k == (c) && cpu[(c) + 1]@between && \
	!reload_req[c] && loaded_h[c] == writer[w]:h && \
	BEFORE(EPOCH(loaded_w[c]), writer[w]:e))
#define STUCK(w) (writer[w]@rwait && (STUCK_ON(w, 0) || STUCK_ON(w, 1)))

proctype monitor()
{
#if NW > 1
end:	atomic { STUCK(3) || STUCK(4) -> assert(false) }
#elif NW > 0
end:	atomic { STUCK(3) -> assert(false) }
#endif
}

init
{
	byte h, v;

	atomic {
		/* Handle h starts at epoch 1 in version h; the rest is unused. */
		do
		:: v < NV ->
			if
			:: v < NH ->
				word[v] = WORD(1, v);
				owner[v] = v;
				vepoch[v] = 1;
				vdata[v] = VAL(v, 1);
				vregs[v] = ALLREGS
			:: else -> owner[v] = NONE
			fi;
			v++
		:: else -> break
		od;
		v = 0;
		h = 0;
		ann_h[0] = NONE;
		ann_h[1] = NONE;
		running[0] = NONE;
		running[1] = NONE;
		loaded_h[0] = NONE;
		loaded_h[1] = NONE;
		winh[0] = NONE;
		winh[1] = NONE;
		run cpu(0);
		run cpu(1);
#if NW > 0
		run writer(0);
#endif
#if NW > 1
		run writer(1);
#endif
#ifndef NOMON
		run monitor()
#endif
	}
}

/*
 * Mapping of the model's steps to the protocol and to the C code. Reader:
 * sync/src/reader.h (prs_read_word = R1, prs_read_holds = the fast-path
 * test, prs_read_pin = R2..R5, prs_read_set = R6's source, prs_read_done =
 * R7, R8), called by percpu/src/switch.c (prs_switch, switch_copy,
 * prs_reload; the copy itself is percpu/src/copy.h). Writer:
 * sync/src/publish.c (prs_writer_lock, read_announce + pins = the scan,
 * find_free / prs_pool_take = pick a version, prs_publish_version = W2 and
 * the reload mask, prs_publish_commit), sync/src/handle.c
 * (prs_handle_start: a handle's first version, no old one to retire),
 * sync/src/ticket.c (cpu_done, prs_ticket_poll). Where the C commits at
 * commit time what the model does at begin (the scan and the choice of a
 * version happen under the same lock in both, so the order within the lock
 * does not matter), the table names the model's step.
 *
 * Reader (switch path, unchanged by the design):
 *   switch_load: R1 + fast path  R1 w1 = load_sc(h->word); fast path if
 *                                (h, w1) == (loaded_h, loaded_w)
 *   cpu reload IPI step          reload(k): h = loaded_h; w = load_sc(word);
 *                                if w != loaded_w: R2..R8 with w1 = w; the
 *                                kernel's IPI handler clears its request
 *   R2, R3 (one step)            store_rel(ann_w, LOWER(w1)); store_sc(ann_h, h)
 *   R4                           w2 = load_sc(h->word)
 *   R5 + copy start check        store_rel(ann_w, EXACT | w2); R6 copies
 *                                version idx(w2) (its set for k's layout class)
 *   R6 end, R7, R8 (one step)    store_rlx(loaded_h, h); store_rel(loaded_w,
 *                                w2); store_rel(ann_h, NULL)
 *   idle                         a switch to the idle thread's handle
 * Fault path (percpu/src/fault.c, prs_fault; the same reader steps):
 *   fault entry: R1              w = prs_read_word(h), no fast path
 *   announce_pin (R2..R5)        prs_read_pin
 *   fault end (one step):        prs_read_set(w2); copied = !prs_read_holds:
 *     mpu_copy if not held         prs_copy (every slot below max(end, hi))
 *     fault_in                     fault_serve: fault_find, permission,
 *                                  fault_resident, fault_load (victim)
 *     read_done (R7, R8)           prs_read_done
 * Writer (begin / commit / scan / reload mask / ticket):
 *   lock + scan_cpu(0), (1)      begin(h): the system-wide writer lock; scan
 *                                every CPU: load_sc(ann_h), then load_acq(ann_w)
 *                                if ann_h is a handle; pinned iff ann_h ==
 *                                owner[v] and (EXACT ? idx == v : epoch[v]
 *                                not before epoch(ann_w))
 *   free_versions                "pick any v with !cur[v] and not pinned"
 *   avail == 0 -> pin_wait       "if none: re-scan (count a pin wait)"
 *   atomic choice + W1           the caller fills v between begin and commit
 *   W2 = P                       commit(h, v): e = epoch(h->word) + 1;
 *                                cur[old] = 0; owner[v] = h; epoch[v] = e;
 *                                cur[v] = 1; store_sc(h->word, make(e, v))
 *   request_reload(0), (1)       commit's reload scan: ann_h == h -> mask;
 *                                else loaded_h == h && loaded_w != new word
 *                                -> mask; release the lock (merged into the
 *                                last step); then reload(mask)
 *   revoke_wait T1, T2           ticket poll per CPU of the mask: ann_h
 *                                load_sc + ann_w load_acq, then loaded_h +
 *                                loaded_w; a CPU is done when neither shows
 *                                h at an epoch before the ticket's
 *   monitor()                    "a ticket wait is bounded by one switch or
 *                                reload on each CPU of the ticket"
 *   assert(twice) in pin_wait    the design's bound (Claim 2): with V = T +
 *                                C + 1 a writer waits only when some CPU saw
 *                                two publishes of one handle in its window
 */
