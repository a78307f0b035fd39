#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Invariant 2 on the machine code: the switch path never waits.

Disassembles the given objects (objdump -dr; AArch32 or AArch64, told by the
objects' file format), starts from the root functions (prs_switch,
prs_reload), follows every direct call through its relocation, and fails if
any reachable function
  - uses an exclusive or atomic read-modify-write instruction
    (AArch32: ldrex/strex/ldaex/stlex/clrex and every *ex[bhd] variant, swp;
    AArch64: ld[a]xr/st[l]xr and pairs, clrex, and the LSE atomics cas*,
    swp*, ld<op>*, st<op>*),
  - waits (wfe, wfi),
  - contains a loop: a cycle in its control-flow graph (the path is
    unrolled; none is allowed unless the function is named with
    --allow-loop FUNC). Branches that go backward in address without
    closing a cycle are only block placement by the compiler (GCC moves
    rarely taken blocks out of line and jumps back) and are counted, not
    rejected: invariant 2 is about loops, not about layout,
  - branches or calls through a register or loads pc (jump tables, indirect
    calls: unbounded or unknown targets), other than returns,
  - calls a function that is not defined in the given objects,
  - with --prselr-banks (AArch64): writes PRSELR_EL1 other than as one
    "PRSELR = 16; ISB" to enter bank 16..31 and one "PRSELR = 0" restore
    per phase (a phase ends at an ISB that does not follow a PRSELR write),
    or leaves a phase, or returns, with PRSELR = 16. Checked on every path
    of the control-flow graph, pruning only the branches whose outcome
    follows from constants and bit tests seen on that path (the bank flag
    is a register the compiler tests with cbz/cbnz).
Prints the reachable functions with their instruction counts and the
longest path through each (calls included): the bound on the instructions
one call can execute; and one "bound:" line per root with that bound and
the fewest and most acquire/release accesses (AArch32 lda*/stl*, AArch64
ldar*/ldapr*/stlr*) on any path through it (calls included), which
bench/qemu/run.sh reads.
With --no-exclusive-anywhere it also checks EVERY function of the given
objects (an archive works: libprsched.a) for exclusives and atomic
read-modify-writes, not only those the roots reach: no library code on the
target may use one (the writer lock is a filter lock over plain loads and
stores unless the build opts in with PRS_WRITER_EXCLUSIVES=1); --root may
then be omitted.
With --expect-fail REGEX it succeeds only if it fails with a message
matching REGEX (used to show the check can fail).
"""
import argparse
import re
import subprocess
import sys

COND = r'(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)'
WAIT = re.compile(r'^(wfe|wfi)')
FUNC = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4,8}(?: [0-9a-f]{4})?\s+)?(\S+)\s*(.*)$')
LSE = r'(cas|swp|ld(add|clr|eor|set|smax|smin|umax|umin)|st(add|clr|eor|set|smax|smin|umax|umin))'


class A32:
    """AArch32 (Cortex-R52) mnemonics."""
    BRANCH = re.compile(r'^b' + COND + r'?(\.w|\.n)?$')
    UNCOND = ('b', 'bal', 'b.w', 'b.n')
    CALL = re.compile(r'^bl' + COND + r'?$')
    EXCL = re.compile(r'^(ldrex|strex|ldaex|stlex|ld[a-z]*ex[bhd]?|st[a-z]*ex[bhd]?|clrex|swpb?)')
    ACQREL = re.compile(r'^(lda|stl)[bh]?$')
    INDIRECT = re.compile(r'^(bx|blx)')
    RELOC = re.compile(r'^\s*[0-9a-f]+:\s+R_ARM_(?:CALL|JUMP24|THM_CALL|THM_JUMP24)\s+(\S+)')

    @staticmethod
    def is_return(op, args):
        if op.startswith('bx') and args == 'lr':
            return True
        # pop {..., pc}, or ldm sp!, {..., pc}
        return (op.startswith('pop') or (op.startswith('ldm') and args.startswith('sp'))) \
            and 'pc' in args

    @staticmethod
    def ends(op):
        return op in ('bx', 'pop', 'ldm', 'ldmia', 'ldmfd')


class A64:
    """AArch64 (Cortex-R82) mnemonics."""
    BRANCH = re.compile(r'^(b(\.' + COND + r')?|cbn?z|tbn?z)$')
    UNCOND = ('b',)
    CALL = re.compile(r'^bl$')
    EXCL = re.compile(r'^(ld[a]?xr[bh]?|st[l]?xr[bh]?|ld[a]?xp|st[l]?xp|clrex|' + LSE + r'[a-z]*)$')
    ACQREL = re.compile(r'^(ldar|ldapr|stlr|ldapur|stlur)[bh]?$')
    INDIRECT = re.compile(r'^(br|blr|braa|brab|blraa|blrab)')
    RELOC = re.compile(r'^\s*[0-9a-f]+:\s+R_AARCH64_(?:CALL26|JUMP26)\s+(\S+)')

    @staticmethod
    def is_return(op, args):
        return op == 'ret'

    @staticmethod
    def ends(op):
        return op == 'ret'


ARCH = A32


def target_of(args):
    """The address a direct branch names (objdump prints 'ADDR <sym+off>')."""
    m = re.search(r'(?:^|[\s,])([0-9a-f]+) <', args) or re.match(r'([0-9a-f]+)', args)
    return int(m.group(1), 16) if m else None


def parse(objdump, objs):
    global ARCH
    funcs = {}
    for obj in objs:
        out = subprocess.run([objdump, '-dr', '--no-show-raw-insn', obj],
                             check=True, capture_output=True, text=True).stdout
        if 'aarch64' in out[:400]:
            ARCH = A64
        cur = None
        for line in out.splitlines():
            m = FUNC.match(line)
            if m:
                cur = funcs.setdefault(m.group(2), [])
                continue
            if cur is None:
                continue
            r = ARCH.RELOC.match(line)
            if r and cur:
                sym = r.group(1).split('+')[0]
                if sym.startswith('.text.'):
                    sym = sym[len('.text.'):]
                cur[-1]['callee'] = sym
                continue
            m = INSN.match(line)
            if m and not line.lstrip().startswith('R_'):
                cur.append({'addr': int(m.group(1), 16), 'op': m.group(2),
                            'args': m.group(3).split(';')[0].split('@')[0].split('//')[0].strip()})
    return funcs


def is_return(op, args):
    return ARCH.is_return(op, args)


def is_call(i):
    return bool(ARCH.CALL.match(i['op']) or (ARCH.BRANCH.match(i['op']) and i.get('callee')))


def branch_target(insns, idx):
    """Index of a direct branch's target inside the function, or None."""
    addr = target_of(insns[idx]['args'])
    if addr is None:
        return None
    for j, x in enumerate(insns):
        if x['addr'] == addr:
            return j
    return None


def successors(insns, idx):
    """Indices that instruction idx can pass control to inside its function."""
    i = insns[idx]
    op, args = i['op'], i['args']
    nxt = [idx + 1] if idx + 1 < len(insns) else []
    if is_return(op, args):
        return [] if ARCH.ends(op) else nxt
    if ARCH.BRANCH.match(op) and not ARCH.CALL.match(op):
        if i.get('callee'):  # tail call
            return [] if op in ARCH.UNCOND else nxt
        j = branch_target(insns, idx)
        tgt = [] if j is None else [j]
        return tgt if op in ARCH.UNCOND else tgt + nxt
    return nxt


def find_cycle(insns):
    """An edge (from, to) closing a cycle, or None (iterative DFS)."""
    color = [0] * len(insns)
    for root in range(len(insns)):
        if color[root]:
            continue
        stack = [(root, iter(successors(insns, root)))]
        color[root] = 1
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if color[nxt] == 1:
                    return node, nxt
                if color[nxt] == 0:
                    color[nxt] = 1
                    stack.append((nxt, iter(successors(insns, nxt))))
                    break
            else:
                color[node] = 2
                stack.pop()
    return None


def path_extreme(insns, weight, pick):
    """pick (max or min) over the paths from the entry of the summed weight
    of their instructions (the CFG is a DAG: checked before this is used)."""
    order, seen = [], [False] * len(insns)
    for root in range(len(insns)):  # reverse postorder by iterative DFS
        if seen[root]:
            continue
        seen[root] = True
        stack = [(root, iter(successors(insns, root)))]
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if not seen[nxt]:
                    seen[nxt] = True
                    stack.append((nxt, iter(successors(insns, nxt))))
                    break
            else:
                order.append(node)
                stack.pop()
    best = [0] * len(insns)
    for idx in order:  # successors first
        i = insns[idx]
        ends = [0] if is_return(i['op'], i['args']) else []  # a conditional return may end here
        best[idx] = weight(i) + pick([best[j] for j in successors(insns, idx)] + ends or [0])
    return best[0] if insns else 0


def longest(insns, cost_of_call):
    """Longest path in instructions from the entry, calls included."""
    return path_extreme(insns, lambda i: 1 + (cost_of_call(i) if is_call(i) else 0), max)


def check(funcs, roots, allow):
    errors, seen, order, backward = [], set(), [], {}
    work = list(roots)
    while work:
        name = work.pop()
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        if name not in funcs:
            errors.append(f'{name}: called but not defined in the checked objects')
            continue
        insns = funcs[name]
        backward[name] = 0
        for i in insns:
            op, args = i['op'], i['args']
            where = f"{name}+0x{i['addr']:x}: {op} {args}"
            if ARCH.EXCL.match(op):
                errors.append(f'exclusive/atomic RMW instruction: {where}')
            if WAIT.match(op):
                errors.append(f'wait instruction: {where}')
            if is_call(i):
                callee = i.get('callee')
                if callee is None:
                    m = re.search(r'<([^>+]+)>', args)
                    callee = m.group(1) if m else None
                if callee is None:
                    errors.append(f'call without a known target: {where}')
                else:
                    work.append(callee)
                continue
            if ARCH.BRANCH.match(op):
                addr = target_of(args)
                if addr is not None and addr <= i['addr']:
                    backward[name] += 1
                continue
            if is_return(op, args):
                continue
            if ARCH.INDIRECT.match(op):
                errors.append(f'indirect branch/call: {where}')
            elif re.match(r'^(ldr|add|sub|mov|ldm|pop|orr|and)', op) and re.match(r'^pc\b', args):
                errors.append(f'write to pc (jump table?): {where}')
        cyc = find_cycle(insns) if name not in allow else None
        if cyc:
            a, b = insns[cyc[0]], insns[cyc[1]]
            errors.append(f"loop: {name}+0x{a['addr']:x} ({a['op']} {a['args']}) "
                          f"goes back to +0x{b['addr']:x}")
    return errors, order, backward


PRSELR = re.compile(r'^(prselr_el1|s3_0_c6_c2_1)$', re.I)
NO_DEST = re.compile(r'^(st|cmp|cmn|tst|b|cb|tb|msr|isb|dsb|dmb|ret|nop|prfm|hint)')


def reg_no(tok):
    """'w5'/'x5' -> 5, 'wzr'/'xzr' -> 'zr', anything else -> None."""
    m = re.match(r'^[wx](\d+|zr)$', tok.strip())
    return None if not m else (m.group(1) if m.group(1) == 'zr' else int(m.group(1)))


def imm(tok):
    m = re.match(r'^#(-?(?:0x[0-9a-f]+|\d+))$', tok.strip())
    return int(m.group(1), 0) if m else None


def prselr_check(name, insns):
    """(errors, warnings) of the bank discipline for PRSELR_EL1 in one
    function (see the module docstring). Abstract state along a path:
    registers known to hold a constant or (register & single bit), known
    bits of registers, and the phase's counts; explored over the DAG with
    memoization. A path that returns (or calls out) with the bank still
    selected is a warning: the state does not follow the write counter,
    and the switch skips its last phase end when that counter is 0, which
    only a path that wrote nothing (so never selected the bank) can do."""
    if not insns:
        return [], []
    tested = {reg_no(i['args'].split(',')[0]) for i in insns if re.match(r'^cbn?z$', i['op'])}
    tested |= {reg_no(i['args'].split(',')[1]) for i in insns
               if i['op'] == 'msr' and PRSELR.match(i['args'].split(',')[0].strip())}
    tested.discard(None)
    # Bits worth knowing: those some tested register is computed from.
    relevant = set()
    for i in insns:
        ops = [a.strip() for a in i['args'].split(',')]
        m = imm(ops[2]) if i['op'] == 'and' and len(ops) == 3 else None
        if m and m & (m - 1) == 0 and reg_no(ops[0]) in tested and reg_no(ops[1]) is not None:
            relevant.add((reg_no(ops[1]), m.bit_length() - 1))
    errors, warnings = set(), set()

    def value(regs, bits, r):
        """Known value of register r: an int, or None."""
        if r == 'zr':
            return 0
        v = regs.get(r)
        if isinstance(v, int):
            return v
        if v is not None:  # (src, bit): r = src & (1 << bit)
            b = bits.get((v[0], v[1]))
            return None if b is None else (1 << v[1]) * b
        return None

    def norm(regs, bits):
        return (frozenset(regs.items()), frozenset(bits.items()))

    def keep(bits):
        # Forgetting a bit only adds paths: sound, and keeps the states few.
        return {k: b for k, b in bits.items() if k in relevant}

    def step(i, regs, bits):
        """Register effects of instruction i (on copies)."""
        op, args = i['op'], i['args']
        ops = [a.strip() for a in args.split(',')]
        if NO_DEST.match(op) or not ops or reg_no(ops[0]) is None:
            return regs, bits
        dests = [reg_no(ops[0])] + ([reg_no(ops[1])] if op.startswith('ldp') else [])
        regs, bits = dict(regs), dict(bits)
        new = None
        if op in ('mov', 'movz') and len(ops) == 2 and imm(ops[1]) is not None:
            new = imm(ops[1])
        elif op == 'mov' and len(ops) == 2 and reg_no(ops[1]) == 'zr':
            new = 0
        elif op == 'and' and len(ops) == 3 and imm(ops[2]) is not None:
            m, src = imm(ops[2]), reg_no(ops[1])
            if m and m & (m - 1) == 0 and src is not None:
                new = (src, m.bit_length() - 1)
        for d in dests:
            # values derived from the old d lose their link to it
            for r, v in list(regs.items()):
                if isinstance(v, tuple) and v[0] == d:
                    b = bits.get((d, v[1]))
                    regs[r] = (1 << v[1]) * b if b is not None else None
            for k in [k for k in bits if k[0] == d]:
                del bits[k]
        for d in dests:
            regs.pop(d, None)
        if new is not None and dests[0] in tested:
            regs[dests[0]] = new
        regs = {r: v for r, v in regs.items() if v is not None}
        return regs, bits

    def edges(idx, regs, bits):
        """(successor, regs, bits) with the branch outcome applied."""
        i = insns[idx]
        op, ops = i['op'], [a.strip() for a in i['args'].split(',')]
        succ = successors(insns, idx)
        if op not in ('cbz', 'cbnz', 'tbz', 'tbnz'):
            return [(j, regs, bits) for j in succ]
        tgt = branch_target(insns, idx)
        r = reg_no(ops[0])
        out = []
        for j in succ:
            zero = (j == tgt) == (op in ('cbz', 'tbz'))  # tested value is zero on this edge
            rr, bb = dict(regs), dict(bits)
            if op.startswith('cb'):
                v = value(regs, bits, r)
                if v is not None and (v == 0) != zero:
                    continue  # infeasible
                src = regs.get(r)
                if isinstance(src, tuple):
                    bb[src] = 0 if zero else 1
                elif zero:
                    rr[r] = 0
            else:
                bit = imm(ops[1])
                v = value(regs, bits, r)
                known = bits.get((r, bit)) if v is None else (v >> bit) & 1
                if known is not None and (known == 0) != zero:
                    continue
                bb[(r, bit)] = 0 if zero else 1
            out.append((j, rr, keep(bb)))
        return out

    # state: (idx, regs, bits, entered, restored, pending, just entered)
    start = (0, {}, {}, 0, 0, 0, 0)
    stack, seen = [start], set()
    while stack:
        idx, regs, bits, ent, res, pend, just = stack.pop()
        key = (idx, norm(regs, bits), ent, res, pend, just)
        if key in seen:
            continue
        seen.add(key)
        i = insns[idx]
        op, ops = i['op'], [a.strip() for a in i['args'].split(',')]
        where = f"{name}+0x{i['addr']:x}"
        if op == 'msr' and PRSELR.match(ops[0]):
            v = value(regs, bits, reg_no(ops[1])) if len(ops) > 1 else None
            if v is None:
                errors.add(f'PRSELR_EL1 written with a value not known on this path: {where}')
            elif v != 0:
                nxt = insns[idx + 1]['op'] if idx + 1 < len(insns) else ''
                if nxt != 'isb':
                    errors.add(f'PRSELR_EL1 = {v} not followed by ISB: {where}')
                if ent:
                    errors.add(f'second PRSELR_EL1 bank entry in one phase: {where}')
                ent, pend = ent + 1, 1
            else:
                if res or not pend:
                    errors.add(f'PRSELR_EL1 = 0 {"twice in one phase" if res else "without a bank entry"}: {where}')
                res, pend = res + 1, 0
        elif op == 'isb' and not just:  # not the ISB of a bank entry
            if pend:
                errors.add(f'phase ends with PRSELR_EL1 still selecting bank 16..31: {where}')
            ent, res, pend = 0, 0, 0
        if (is_return(op, i['args']) or (is_call(i) and op in ARCH.UNCOND)) and pend:
            warnings.add(f'a path returns with PRSELR_EL1 still selecting bank 16..31: {where}')
        elif is_call(i) and pend:
            warnings.add(f'a path calls out with PRSELR_EL1 selecting bank 16..31: {where}')
        just = int(op == 'msr' and PRSELR.match(ops[0]) is not None and pend == 1)
        regs2, bits2 = step(i, regs, bits)
        for j, r2, b2 in edges(idx, regs2, bits2):
            stack.append((j, r2, b2, ent, res, pend, just))
    return sorted(errors), sorted(warnings)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--objdump', required=True)
    ap.add_argument('--root', action='append', default=[])
    ap.add_argument('--no-exclusive-anywhere', action='store_true',
                    help='every function of the objects: no exclusive or atomic RMW')
    ap.add_argument('--allow-loop', action='append', default=[])
    ap.add_argument('--expect-fail')
    ap.add_argument('--require', action='append', default=[],
                    help='mnemonic regex that must occur in the reachable code')
    ap.add_argument('--forbid', action='append', default=[],
                    help='mnemonic regex that must not occur in the reachable code')
    ap.add_argument('--prselr-banks', action='store_true',
                    help='AArch64: check the PRSELR_EL1 bank discipline on every path')
    ap.add_argument('--strict-restore', action='store_true',
                    help='with --prselr-banks: a path that returns with the bank selected fails')
    ap.add_argument('objects', nargs='+')
    a = ap.parse_args()
    allow = set(a.allow_loop)
    funcs = parse(a.objdump, a.objects)
    if not a.root and not a.no_exclusive_anywhere:
        ap.error('--root is required')
    errors, order, backward = check(funcs, a.root, allow)
    if a.no_exclusive_anywhere:
        for name, insns in sorted(funcs.items()):
            for i in insns:
                if ARCH.EXCL.match(i['op']):
                    errors.append(f"exclusive/atomic RMW instruction (library-wide): "
                                  f"{name}+0x{i['addr']:x}: {i['op']} {i['args']}")
        print(f'  library-wide: {len(funcs)} functions checked for exclusives')
    ops = [(n, i) for n in order for i in funcs.get(n, [])]
    for rx in a.require:
        if not any(re.match(rx + '$', i['op']) for _, i in ops):
            errors.append(f'required instruction {rx} not found')
    for rx in a.forbid:
        for n, i in ops:
            if re.match(rx + '$', i['op']):
                errors.append(f"forbidden instruction {rx}: {n}+0x{i['addr']:x}: {i['op']} {i['args']}")
    warnings = []
    if a.prselr_banks:
        for name in order:
            e, w = prselr_check(name, funcs.get(name, []))
            errors += e
            warnings += w
        if a.strict_restore:
            errors += warnings
            warnings = []
    memo = {}

    def extreme(name, key, weight, pick):
        """pick over the paths through name (calls included) of the summed weight."""
        if (name, key) in memo:
            return memo[name, key]
        memo[name, key] = 0  # recursion guard
        insns = funcs.get(name, [])
        if name in allow or find_cycle(insns):
            return 0
        memo[name, key] = path_extreme(
            insns, lambda i: weight(i) + (extreme(i.get('callee') or '', key, weight, pick)
                                          if is_call(i) else 0), pick)
        return memo[name, key]

    def cost(name):
        return extreme(name, 'insns', lambda i: 1, max)

    def acqrel(i):
        return 1 if ARCH.ACQREL.match(i['op']) else 0

    for name in order:
        print(f'  {name}: {len(funcs.get(name, []))} instructions, longest path {cost(name)}'
              f' (calls included), {backward.get(name, 0)} acyclic backward branches')
    for name in a.root:
        if name in funcs:
            print(f'bound: {name} longest_path={cost(name)} acqrel_min='
                  f'{extreme(name, "o_min", acqrel, min)} acqrel_max={extreme(name, "o_max", acqrel, max)}')
    for w in warnings:
        print('WARNING ' + w)
    for e in errors:
        print('ERROR ' + e)
    if a.expect_fail:
        if errors and any(re.search(a.expect_fail, e) for e in errors):
            print(f'ok: rejected as expected ({a.expect_fail})')
            return 0
        print(f'FAIL: expected a rejection matching {a.expect_fail!r}')
        return 1
    print(('ok: no exclusive, no wait, no loop, no indirect branch, no unknown call' +
           (', PRSELR_EL1 once per bank and phase' if a.prselr_banks else ''))
          if not errors else 'FAIL')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
