#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Invariant 2 on the machine code: the switch path never waits.

Disassembles the given objects (objdump -dr), starts from the root functions
(prs_switch, prs_reload), follows every direct call through its relocation,
and fails if any reachable function
  - uses an exclusive or atomic read-modify-write instruction
    (ldrex/strex/ldaex/stlex/clrex and every *ex[bhd] variant, swp),
  - waits (wfe, wfi),
  - contains a loop: a cycle in its control-flow graph (the path is
    unrolled; none is allowed unless the function is named with
    --allow-loop FUNC). Branches that go backward in address without
    closing a cycle are only block placement by the compiler (GCC moves
    rarely taken blocks out of line and jumps back) and are counted, not
    rejected: invariant 2 is about loops, not about layout,
  - branches or calls through a register or loads pc (jump tables, indirect
    calls: unbounded or unknown targets), other than returns,
  - calls a function that is not defined in the given objects.
Prints the reachable functions with their instruction counts and the
longest path through each (calls included): the bound on the instructions
one call can execute.
With --expect-fail REGEX it succeeds only if it fails with a message
matching REGEX (used to show the check can fail).
"""
import argparse
import re
import subprocess
import sys

BRANCH = re.compile(r'^b(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.w|\.n)?$')
CALL = re.compile(r'^bl(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?$')
EXCL = re.compile(r'^(ldrex|strex|ldaex|stlex|ld[a-z]*ex[bhd]?|st[a-z]*ex[bhd]?|clrex|swpb?)')
WAIT = re.compile(r'^(wfe|wfi)')
FUNC = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4,8}(?: [0-9a-f]{4})?\s+)?(\S+)\s*(.*)$')
RELOC = re.compile(r'^\s*[0-9a-f]+:\s+R_ARM_(?:CALL|JUMP24|THM_CALL|THM_JUMP24)\s+(\S+)')


def parse(objdump, objs):
    funcs = {}
    for obj in objs:
        out = subprocess.run([objdump, '-dr', '--no-show-raw-insn', obj],
                             check=True, capture_output=True, text=True).stdout
        cur = None
        for line in out.splitlines():
            m = FUNC.match(line)
            if m:
                cur = funcs.setdefault(m.group(2), [])
                continue
            if cur is None:
                continue
            r = RELOC.match(line)
            if r and cur:
                sym = r.group(1).split('+')[0]
                if sym.startswith('.text.'):
                    sym = sym[len('.text.'):]
                cur[-1]['callee'] = sym
                continue
            m = INSN.match(line)
            if m and not line.lstrip().startswith('R_'):
                cur.append({'addr': int(m.group(1), 16), 'op': m.group(2),
                            'args': m.group(3).split(';')[0].split('@')[0].strip()})
    return funcs


def is_return(op, args):
    if op.startswith('bx') and args == 'lr':
        return True
    if (op.startswith('pop') or op.startswith('ldm')) and 'pc' in args and 'sp' in (args if op.startswith('ldm') else 'sp'):
        return True
    return False


def successors(insns, idx):
    """Indices that instruction idx can pass control to inside its function."""
    i = insns[idx]
    op, args = i['op'], i['args']
    nxt = [idx + 1] if idx + 1 < len(insns) else []
    if is_return(op, args):
        return [] if op in ('bx', 'pop', 'ldm', 'ldmia', 'ldmfd') else nxt
    if BRANCH.match(op) and not CALL.match(op):
        if i.get('callee'):  # tail call
            return [] if op in ('b', 'b.w', 'b.n') else nxt
        m = re.match(r'([0-9a-f]+)', args)
        tgt = []
        if m:
            addr = int(m.group(1), 16)
            tgt = [j for j, x in enumerate(insns) if x['addr'] == addr]
        return tgt if op in ('b', 'bal', 'b.w', 'b.n') else tgt + nxt
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


def longest(insns, cost_of_call):
    """Longest path in instructions from the entry (the CFG is a DAG)."""
    best = [0] * len(insns)
    for idx in range(len(insns) - 1, -1, -1):
        i = insns[idx]
        own = 1 + (cost_of_call(i) if CALL.match(i['op']) or
                   (BRANCH.match(i['op']) and i.get('callee')) else 0)
        succ = successors(insns, idx)
        best[idx] = own + max((best[j] for j in succ if j > idx), default=0)
    # backward (acyclic) edges: iterate to a fixed point
    for _ in range(len(insns)):
        changed = False
        for idx in range(len(insns) - 1, -1, -1):
            i = insns[idx]
            own = 1 + (cost_of_call(i) if CALL.match(i['op']) or
                       (BRANCH.match(i['op']) and i.get('callee')) else 0)
            v = own + max((best[j] for j in successors(insns, idx)), default=0)
            if v != best[idx]:
                best[idx], changed = v, True
        if not changed:
            break
    return best[0] if insns else 0


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
            if EXCL.match(op):
                errors.append(f'exclusive/atomic RMW instruction: {where}')
            if WAIT.match(op):
                errors.append(f'wait instruction: {where}')
            if CALL.match(op) or (BRANCH.match(op) and i.get('callee')):
                callee = i.get('callee')
                if callee is None:
                    m = re.search(r'<([^>+]+)>', args)
                    callee = m.group(1) if m else None
                if callee is None:
                    errors.append(f'call without a known target: {where}')
                else:
                    work.append(callee)
                continue
            if BRANCH.match(op):
                m = re.match(r'([0-9a-f]+)', args)
                if m and int(m.group(1), 16) <= i['addr']:
                    backward[name] += 1
                continue
            if is_return(op, args):
                continue
            if re.match(r'^(bx|blx)', op):
                errors.append(f'indirect branch/call: {where}')
            elif re.match(r'^(ldr|add|sub|mov|ldm|pop|orr|and)', op) and re.match(r'^pc\b', args):
                errors.append(f'write to pc (jump table?): {where}')
        cyc = find_cycle(insns) if name not in allow else None
        if cyc:
            a, b = insns[cyc[0]], insns[cyc[1]]
            errors.append(f"loop: {name}+0x{a['addr']:x} ({a['op']} {a['args']}) "
                          f"goes back to +0x{b['addr']:x}")
    return errors, order, backward


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--objdump', required=True)
    ap.add_argument('--root', action='append', required=True)
    ap.add_argument('--allow-loop', action='append', default=[])
    ap.add_argument('--expect-fail')
    ap.add_argument('--require', action='append', default=[],
                    help='mnemonic regex that must occur in the reachable code')
    ap.add_argument('--forbid', action='append', default=[],
                    help='mnemonic regex that must not occur in the reachable code')
    ap.add_argument('objects', nargs='+')
    a = ap.parse_args()
    allow = set(a.allow_loop)
    funcs = parse(a.objdump, a.objects)
    errors, order, backward = check(funcs, a.root, allow)
    ops = [(n, i) for n in order for i in funcs.get(n, [])]
    for rx in a.require:
        if not any(re.match(rx + '$', i['op']) for _, i in ops):
            errors.append(f'required instruction {rx} not found')
    for rx in a.forbid:
        for n, i in ops:
            if re.match(rx + '$', i['op']):
                errors.append(f"forbidden instruction {rx}: {n}+0x{i['addr']:x}: {i['op']} {i['args']}")
    memo = {}

    def cost(name):
        if name in memo:
            return memo[name]
        memo[name] = 0  # recursion guard
        insns = funcs.get(name, [])
        memo[name] = 0 if name in allow or find_cycle(insns) else longest(
            insns, lambda i: cost(i.get('callee') or ''))
        return memo[name]

    for name in order:
        print(f'  {name}: {len(funcs.get(name, []))} instructions, longest path {cost(name)}'
              f' (calls included), {backward.get(name, 0)} acyclic backward branches')
    for e in errors:
        print('ERROR ' + e)
    if a.expect_fail:
        if errors and any(re.search(a.expect_fail, e) for e in errors):
            print(f'ok: rejected as expected ({a.expect_fail})')
            return 0
        print(f'FAIL: expected a rejection matching {a.expect_fail!r}')
        return 1
    print('ok: no exclusive, no wait, no loop, no indirect branch, no unknown call' if not errors else 'FAIL')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
