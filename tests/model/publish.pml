/* SPDX-License-Identifier: MIT */
/*
 * prsched publication protocol: per-thread handles, buffer pools, per-CPU
 * announcements, reload requests and synchronous revoke (spin 6.5).
 *
 * The protocol, as the model has it:
 *   handle h: word = (epoch << 4) | buffer index, seq_cst; a pool of
 *     NCPU + 2 buffers, each with its epoch; writers serialized by a lock.
 *   CPU k: ann_h (handle being copied or NONE), ann_w (word read, with
 *     EXACT or without it: LOWER), loaded_h/loaded_w (what its MPU holds).
 *   switch to h (R1..R8, the names percpu/src/switch.c uses), IRQs off, no loop, no CAS:
 *     R1 w1 = word; fast path if loaded_h == h && loaded_w == w1
 *     R2 ann_w = LOWER(w1); R3 ann_h = h; R4 w2 = word; R5 ann_w = EXACT(w2)
 *     R6 copy buffer idx(w2); R7 loaded_h = h, loaded_w = w2; R8 ann_h = NONE
 *   publish on h (P, W, R): lock; pick a buffer that is not current and not
 *     pinned (EXACT(w) pins idx(w); LOWER(e) pins every buffer whose epoch
 *     is >= e); rewrite it, set its epoch, word = (e, b); request a reload
 *     of every CPU with ann_h == h, or loaded_h == h && loaded_w != word;
 *     unlock.
 *   reload IPI: clear the request; switch to loaded_h (same fast path).
 *   revoke: publish, then wait (V) until no CPU the publish flagged has
 *     ann_h == h with an older epoch, or loaded_h == h with an older epoch.
 *
 * What is checked (pan -DSAFETY, exhaustive, no error and no invalid end
 * state):
 *   - no torn copy: no buffer is rewritten while a CPU copies it, and what
 *     a CPU copies is the version (handle, epoch) of the word it loaded;
 *   - the MPU (ghost mpu[]) holds the set of the thread the CPU runs, at
 *     the epoch the CPU recorded, also after a fast path;
 *   - per CPU, the epochs it loads for one handle never go backwards;
 *   - after a revoke returns, no CPU runs the handle with an older epoch
 *     (checked after every switch and between switches: "thread code");
 *   - a writer finds no free buffer only while some CPU announces LOWER,
 *     i.e. is between its two loads (mid-switch, so the wait is bounded);
 *   - no revoke waits on a CPU that only a voluntary switch would release
 *     (monitor(): a safety check, so it also holds if CPUs stop scheduling);
 *   - no deadlock (invalid end states);
 *   - convergence: once the writers are done and pending reloads are taken,
 *     every CPU holds the last word of the handle it runs, and a switch to
 *     any handle loads that handle's last word.
 *
 * Memory model: each step is an atomic action on shared state, interleaved
 * sequentially consistently (Promela's semantics). The C code makes seq_cst
 * exactly the accesses whose order the argument takes from the single
 * total order S: R1, R3, R4, the publish store P, and the writers' loads of
 * ann_h (and of loaded_*); R2, R5, R7 (loaded_w), R8 are release stores,
 * loaded_h is relaxed, the writers load ann_w with acquire. Claims 1-4 in
 * sync/src/publish.c show that every observation those weaker accesses
 * allow a writer is one this SC model has (a writer sees loaded_* only
 * through a seq_cst ann_h load that synchronizes with R3 or R8). That C11
 * step is argued there, not checked here. Also NOT covered: the buffer
 * contents as plain stores (ordered by P and R4, TSan in tests/stress and
 * tests/sync), MPU register transients while a batch of PRBARn/PRLARn
 * writes is in flight (host MPU model tests), cache maintenance and
 * coherency on the R52 (QEMU tests, PRS_CACHE_MAINT), epoch wrap-around
 * (modulo 2^27 in C; here epochs stay small), and the set builder.
 *
 * Reductions (each keeps every behaviour that could break a property):
 *   - ghost updates and assertions ride on the step they describe; loads of
 *     a variable only the loading process writes (CPU k's own loaded_*, a
 *     buffer epoch under the writer lock) are local computation;
 *   - R2+R3 are one step: the writers read ann_h before ann_w, so a reader
 *     between R2 and R3 sees ann_h == NONE and ignores ann_w (exact);
 *   - the end of R6, R7 and R8 are one step; a writer reading in between
 *     would only pin more buffers, request more reloads or wait longer
 *     (conservative);
 *   - each writer reads one CPU's (ann_h, ann_w) or (loaded_h, loaded_w)
 *     pair in one step, ann before loaded as in C: any decision the split
 *     reads allow is a decision some single-instant read allows, or pins,
 *     flags or waits more (conservative). The lock acquisition (a right
 *     mover) and release (a left mover) are merged with their neighbours;
 *   - a reload request is set in the step that decides it; C collects the
 *     mask and calls the kernel's reload callback after the unlock. Setting
 *     it earlier only lets an IPI be taken earlier, which a voluntary
 *     switch to the same handle could do anyway, and leaves fewer requests
 *     pending for the checks that look at them (conservative);
 *   - idle: prsched has no idle entry point; the kernel's idle thread has a
 *     handle no writer publishes, so switching to it leaves loaded_h != h
 *     for every handle written here. The model makes that one step,
 *     loaded_h = NONE;
 *   - after R8, ann_w is dead (only read together with ann_h == h): reset;
 *     an idle CPU's loaded_w is dead likewise (read only with loaded_h == h;
 *     a writer that read loaded_h == h just before the CPU went idle only
 *     flags or waits on an idle CPU, which is harmless): reset;
 *   - buffers never used yet are indistinguishable: a writer that picks one
 *     picks the lowest (any used free buffer stays a free choice);
 *   - the copy is checked at its start (R5) and end (R6/R7): with versions
 *     that differ in every slot, any overlap with a rewrite (W1 marks and
 *     writes, W2 sets the epoch and publishes) fails one of the two checks.
 *   R1, R4 and R5 stay separate steps: the gaps between the loads and the
 *   announcements are what BROKEN_SINGLE_LOAD and BROKEN_LOWER_AS_EXACT
 *   need.
 *
 * Spin-waits: the C writer spins when no buffer is free and while a revoke
 * waits; so does the model (a busy loop revisits states and costs none).
 * That those waits end is the job of assert(lower) and monitor().
 *
 * Broken variants (-DBROKEN_x; each must be rejected, see CMakeLists.txt):
 *   BROKEN_REUSE          writer reuses a buffer without looking at announces
 *   BROKEN_SINGLE_LOAD    CPU announces EXACT(w1) after one load, copies idx(w1)
 *   BROKEN_NO_ANN_RELOAD  publish requests no reload when ann_h == h
 *   BROKEN_LOWER_AS_EXACT LOWER(w1) pins only idx(w1), not every newer buffer
 *   BROKEN_REVOKE_NO_ANN  revoke waits only on loaded_*, ignores ann_*
 *   BROKEN_REVOKE_ORDER   revoke reads loaded_* before ann_*
 *   BROKEN_FAST_WORD_ONLY fast path compares the word but not the handle
 *
 * Parameters (-D): NH handles (1 or 2); NW writers (writer i publishes on
 * handle i % NH); NPUB0/NPUB1 publishes by writer 0/1; writer 0's last one
 * revokes (unless NOREVOKE), writer 1's too if REVOKE1=1. Two CPUs, each
 * switching among the handles and idle, taking reloads, any number of
 * times. FREE_LOWEST: take the lowest free buffer instead of any.
 *
 * Mapping to the C code: see the table at the end of this file.
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
#define NB (NCPU + 2)

#define NONE 15                      /* ann_h / loaded_h: no handle */
#define EXACT 128                    /* ann_w flag; without it: LOWER */
#define EPOCH(w) (((w) & 127) >> 4)
#define IDX(w) ((w) & 15)
#define WORD(e, b) (((e) << 4) | (b))
#define VAL(h, e) ((((h) + 1) << 4) | (e)) /* the set of version e of h */
#define BUF(h, b) ((h) * NB + (b))

/* Trail replay (spin -t) prints these; verification ignores printf. */
#define SHOW(w) EPOCH(w), IDX(w)

#if NB != 4
#error "the free-buffer choice below is written out for a pool of 4"
#endif

/* Per handle: published word, buffer pool, writer lock. */
byte word[NH];
byte bdata[NH * NB];                 /* the set a buffer holds (all slots) */
byte bepoch[NH * NB];
bool wlock[NH];

/* Per CPU: announcement, what its MPU holds, pending reload IPI. */
byte ann_h[NCPU];
byte ann_w[NCPU];
byte loaded_h[NCPU];
byte loaded_w[NCPU];
bool reload_req[NCPU];

/* Ghost state: read only by assertions. */
bool bwriting[NH * NB];              /* buffer is being rewritten */
byte mpu[NCPU];                      /* VAL of the set in CPU k's MPU, 0: none */
byte running[NCPU];                  /* handle of the thread CPU k runs */
byte revoked[NH];                    /* epoch of the last completed revoke */
byte wdone;                          /* writers finished */

/*
 * CPU k executes code of the thread it runs: its MPU must hold that
 * thread's set, of the epoch the CPU recorded, not older than a completed
 * revoke. Checked right after every switch and whenever the CPU is between
 * switches.
 */
inline thread_check(k)
{
	if
	:: running[k] != NONE ->
		assert(loaded_h[k] == running[k]);
		assert(mpu[k] == VAL(running[k], EPOCH(loaded_w[k])));
		assert(EPOCH(loaded_w[k]) >= revoked[running[k]])   /* revoke */
	:: else -> assert(loaded_h[k] == NONE && mpu[k] == 0)
	fi
}

inline run_thread(k)
{
	d_step { thread_check(k) }
}

/*
 * R1 of prs_switch on CPU k to handle h: w1 = load(word); the fast path
 * when the MPU already holds it (zero MPU writes). Leaves fast set.
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
	printf("cpu%d switch h%d: w1 = (e%d,b%d), fast path %d\n", k, h, SHOW(w1), fast);
	if
	:: fast -> w1 = 0; h = 0; thread_check(k)
	:: else -> skip
	fi
}

/* The rest of prs_switch: straight-line, no wait, no CAS. */
inline switch_slow(k)
{
#ifdef BROKEN_SINGLE_LOAD
	d_step {                             /* announce after one load */
		ann_h[k] = h;
		ann_w[k] = w1 | EXACT;
		w2 = w1;
		w1 = 0;
		printf("cpu%d announces EXACT(e%d,b%d), copies b%d\n", k, SHOW(w2), IDX(w2));
		assert(!bwriting[BUF(h, IDX(w2))]);
		assert(bdata[BUF(h, IDX(w2))] == VAL(h, EPOCH(w2)))
	};
#else
	d_step {                             /* R2, R3: announce LOWER(epoch(w1)) */
		ann_w[k] = w1;
		ann_h[k] = h;
		printf("cpu%d announces LOWER(e%d)\n", k, EPOCH(w1));
		w1 = 0
	};
	d_step {                             /* R4: second load */
		w2 = word[h];
		printf("cpu%d w2 = (e%d,b%d)\n", k, SHOW(w2))
	};
	d_step {                             /* R5: announce EXACT(w2); copy starts */
		ann_w[k] = w2 | EXACT;
		printf("cpu%d announces EXACT(e%d,b%d), copy starts\n", k, SHOW(w2));
		assert(!bwriting[BUF(h, IDX(w2))]);
		assert(bdata[BUF(h, IDX(w2))] == VAL(h, EPOCH(w2)))
	};
#endif
	d_step {                             /* R6 ends, R7, R8: record, unannounce */
		assert(!bwriting[BUF(h, IDX(w2))]);
		assert(bdata[BUF(h, IDX(w2))] == VAL(h, EPOCH(w2)));
		assert(bepoch[BUF(h, IDX(w2))] == EPOCH(w2));
		/* epochs of one handle never go backwards on this CPU */
		assert(loaded_h[k] != h || EPOCH(w2) >= EPOCH(loaded_w[k]));
		loaded_h[k] = h;
		loaded_w[k] = w2;
		printf("cpu%d copy done, loaded h%d (e%d,b%d)\n", k, h, SHOW(w2));
		mpu[k] = VAL(h, EPOCH(w2));
		ann_h[k] = NONE;
		ann_w[k] = 0;                /* dead: read only with ann_h == h */
		w2 = 0;
		h = 0;
		thread_check(k)
	}
}

proctype cpu(byte k)
{
	byte h, w1, w2, t;
	bool fast;

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
	 * Idle (no thread with a handle): the MPU holds no dynamic set. The
	 * model also clears loaded_w; its old value only ever matters after a
	 * writer read loaded_h == h, and then only to flag or wait on a CPU
	 * that is now idle, which is harmless either way.
	 */
	:: d_step {
		loaded_h[k] = NONE; loaded_w[k] = 0; mpu[k] = 0; running[k] = NONE;
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
	:: run_thread(k)
	:: wdone == NW && !reload_req[k] -> goto converge
	od;
	if
	:: fast -> fast = false
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
 * Writer Q(k): load CPU k's announcement (ann_h, then ann_w if ann_h == h)
 * and add the buffers it pins. LOWER(e) pins every buffer whose epoch is
 * >= e (bepoch is written only under the lock we hold: local reads).
 */
inline scan_cpu(k)
{
#ifndef BROKEN_REUSE
	if
	:: ann_h[k] == h ->
		aw = ann_w[k];
		if
		:: aw & EXACT -> pins = pins | (1 << IDX(aw))
		:: else ->
			lower = true;
			b = 0;
			do
			:: b < NB ->
#ifdef BROKEN_LOWER_AS_EXACT
				if
				:: b == IDX(aw) -> pins = pins | (1 << b)
				:: else -> skip
				fi;
#else
				if
				:: bepoch[BUF(h, b)] >= EPOCH(aw) -> pins = pins | (1 << b)
				:: else -> skip
				fi;
#endif
				b++
			:: else -> break
			od;
			b = 0
		fi;
		aw = 0
	:: else -> skip
	fi
#else
	skip
#endif
}

/*
 * Writer M(k), after publishing WORD(e, b): request a reload of CPU k if it
 * announces h (M1: ann_h), or holds h at another word (M2: loaded_h, then
 * loaded_w). ann_h is read first: a CPU that has unannounced has already
 * recorded what it loaded. "last" also releases the lock (a left mover).
 */
inline request_reload(k, last)
{
	d_step {                                     /* M1: load ann_h */
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
			:: last -> wlock[h] = false
			:: else -> skip
			fi
		:: else -> skip
		fi
	};
	if
	:: a != h ->
		d_step {                             /* M2: load loaded_h, loaded_w */
			if
			:: loaded_h[k] == h && loaded_w[k] != WORD(e, b) ->
				reload_req[k] = true;
				flagged = flagged | (1 << k);
				printf("writer%d: reload request to cpu%d (holds another word)\n", id, k)
			:: else -> skip
			fi;
			if
			:: last -> wlock[h] = false
			:: else -> skip
			fi;
			a = 0
		}
	:: else -> a = 0
	fi
}

/*
 * Revoke: wait until no CPU this publish flagged announces or holds h with
 * an epoch older than e:
 *   T1: ann_h == h && epoch(ann_w) < e        -> wait
 *   T2: loaded_h == h && epoch(loaded_w) < e  -> wait
 * in that order (BROKEN_REVOKE_ORDER swaps it). The C code spins; so does
 * the model (a busy loop revisits states, so it costs none). That the wait
 * always ends is checked by monitor() below.
 */
inline revoke_ann_older()
{
	d_step { older = (ann_h[k] == h && EPOCH(ann_w[k]) < e) }
}

inline revoke_loaded_older()
{
	d_step { older = (loaded_h[k] == h && EPOCH(loaded_w[k]) < e) }
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

proctype writer(byte id)
{
	byte h, p, npub, e, b, k, a, aw, pins, flagged;
	bool lower, older;

	d_step {
		h = id % NH;
		npub = (id == 0 -> NPUB0 : NPUB1)
	};
	do
	:: p < npub ->
		/*
		 * L: take the writer lock (a right mover: merged with what
		 * follows); the word is stable while we hold it. Q(0), Q(1): pick a
		 * free buffer: not current, not pinned by any CPU.
		 */
		d_step {
			!wlock[h] -> wlock[h] = true;
			e = EPOCH(word[h]) + 1;
			printf("writer%d locks h%d for e%d\n", id, h, e);
			pins = 1 << IDX(word[h]);
			scan_cpu(0)
		};
		do
		:: d_step { scan_cpu(1) };
			if
			:: pins == (1 << NB) - 1 ->
				/*
				 * The whole pool is pinned: only a CPU between its two
				 * loads (LOWER) can do that, and it is mid-switch, which
				 * never waits. C: spin and re-scan; model: the same (a
				 * busy loop revisits states, so it costs none).
				 */
				assert(lower);
				d_step {
					lower = false;
					pins = 1 << IDX(word[h]);
					scan_cpu(0)
				}
			:: else -> lower = false; break
			fi
		od;
#ifdef FREE_LOWEST
		d_step {
			b = 0;
			do
			:: pins & (1 << b) -> b++
			:: else -> break
			od
		};
#else
		/*
		 * Any free buffer, except that buffers never used yet are all alike
		 * (epoch 0, pinned by nobody): taking the lowest of them is enough,
		 * so used buffers always form a prefix of the pool.
		 */
		if
		:: !(pins & 1) -> b = 0
		:: !(pins & 2) -> b = 1          /* buffer 0 is the initial one */
		:: !(pins & 4) && (bepoch[BUF(h, 2)] != 0 || bepoch[BUF(h, 1)] != 0) -> b = 2
		:: !(pins & 8) && (bepoch[BUF(h, 3)] != 0 || bepoch[BUF(h, 2)] != 0) -> b = 3
		fi;
#endif
		/* W1: rewrite buffer b (marked being written) */
		d_step {
			bwriting[BUF(h, b)] = true; bdata[BUF(h, b)] = VAL(h, e); pins = 0;
			printf("writer%d rewrites b%d\n", id, b)
		};
		/* W2: set its epoch, then publish: word = (e, b), seq_cst store */
		d_step {
			bepoch[BUF(h, b)] = e;
			bwriting[BUF(h, b)] = false;
			word[h] = WORD(e, b);
			printf("writer%d publishes h%d (e%d,b%d)\n", id, h, e, b)
		};
		request_reload(0, false);
		request_reload(1, true);         /* and U: release the lock */
		b = 0;
		if
		:: p == npub - 1 && ((id == 0 && REVOKE0) || (id == 1 && REVOKE1)) ->
			revoke_wait();
			d_step {                 /* the revoke returns */
				if
				:: revoked[h] < e -> revoked[h] = e
				:: else -> skip
				fi;
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
 * No revoke waits forever, as a safety check: a revoke must never wait on
 * a CPU that sits between switches with no reload pending while it holds h
 * older than the revoke. Such a CPU changes nothing until it schedules,
 * which it never has to. Every other wait ends after a bounded number of
 * steps of the CPU (a switch in progress, or the pending reload IPI).
 * The guard is enabled only in a violating state, so this process adds no
 * states. Pids: init 0, cpu(k) k + 1, writer(i) 3 + i, this 5.
 */
#define STUCK_ON(w, c) (writer[w]:k == (c) && cpu[(c) + 1]@between && \
	!reload_req[c] && loaded_h[c] == writer[w]:h && EPOCH(loaded_w[c]) < writer[w]:e)
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
	byte h;

	atomic {
		do
		:: h < NH ->
			word[h] = WORD(1, 0);
			bepoch[BUF(h, 0)] = 1;
			bdata[BUF(h, 0)] = VAL(h, 1);
			h++
		:: else -> break
		od;
		ann_h[0] = NONE;
		ann_h[1] = NONE;
		running[0] = NONE;
		running[1] = NONE;
		loaded_h[0] = NONE;
		loaded_h[1] = NONE;
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
 * Mapping of the model's steps to the C code (function, step name used in
 * its comments, line at commit 7ff7033; names are the stable reference).
 *
 * Reader, percpu/src/switch.c:
 *   switch_load: R1 + fast path  prs_switch: R1 word load_sc (547), fast
 *                                path loaded_h/loaded_w compare (549-552)
 *   cpu_reload IPI step          prs_reload (557-572): loaded_h, R1 load_sc
 *                                (568), compare loaded_w (569); the kernel's
 *                                IPI handler clears its own request flag
 *   R2, R3 (one step)            switch_slow: ann_w = LOWER(w1) release
 *                                (501), ann_h = h seq_cst (507)
 *   R4                           switch_slow: w2 = word load_sc (512)
 *   R5 + copy start check        switch_slow: ann_w = EXACT | w2 release
 *                                (514); copy_set (519) is R6
 *   R6 end, R7, R8 (one step)    loaded_h relaxed (529), loaded_w release
 *                                (530), ann_h = NULL release (536)
 *   idle                         a switch to the idle thread's handle
 * Writer, sync/src/publish.c (begin/commit) and ticket.c:
 *   L + Q(0), Q(1)               prs_publish_begin: writer_lock (187),
 *                                pinned(): ann_h load_sc (167), ann_w
 *                                load_acq (170), EXACT pin / LOWER loop
 *                                over published buffers (171-178); cur +
 *                                avail (190-191)
 *   pool full -> re-scan         prs_publish_begin: pin_waits, prs_relax
 *                                (200-201)
 *   buffer choice                lowest free b (193-196) (the model: any)
 *   W1                           the caller fills the buffer between begin
 *                                and commit; commit seals it (282)
 *   W2 = P                       prs_publish_commit: epoch_of[b] = e (279),
 *                                word = (e, b) store_sc (288)
 *   M(0), M(1)                   reload_mask: ann_h load_sc (246), loaded_h
 *                                and loaded_w load_sc (250-251)
 *   U                            writer_unlock (292); then the reload
 *                                callback with the mask (299)
 *   revoke_wait T1, T2           prs_thread_revoke -> prs_ticket_wait ->
 *                                prs_ticket_poll -> cpu_done: ann_h load_sc
 *                                + ann_w load_acq (31-34), loaded_h +
 *                                loaded_w load_sc (40-42); the poll clears
 *                                a CPU once done (54) and retries the rest
 *   monitor()                    "bounded by one switch or reload on each
 *                                CPU of the ticket" (publish.h)
 *   assert(lower)                publish.c, Claim 2 (pool bound)
 */
