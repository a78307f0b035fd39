#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run one firmware ELF on QEMU mps3-an536 and fail loudly on every way a
# guest can go wrong: it exits non-zero (that status is passed through), it
# prints nothing on the console (exit 3), or it does not exit within the
# timeout (exit 124). The console is semihosting on stdout; the UARTs are
# not connected (-serial null).
#
#   qemu-run.sh [--smp N] [--timeout S] [--icount] [--qemu PATH] FIRMWARE.elf
set -u

smp=2
tmo=10
icount=0
qemu=${QEMU:-qemu-system-arm}
usage() { echo "usage: $0 [--smp N] [--timeout S] [--icount] [--qemu PATH] ELF" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --smp) smp=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --icount) icount=1; shift ;;
    --qemu) qemu=$2; shift 2 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
elf=$1
[ -f "$elf" ] || { echo "qemu-run: FAIL: no such firmware: $elf"; exit 2; }
command -v "$qemu" >/dev/null 2>&1 || { echo "qemu-run: FAIL: $qemu not found"; exit 127; }

args=(-M mps3-an536 -smp "$smp" -display none -monitor none -serial null
      -chardev stdio,id=s0 -semihosting-config enable=on,target=native,chardev=s0)
# Deterministic virtual time: 1 ns per instruction, no host sleeps.
[ "$icount" = 1 ] && args+=(-icount shift=0,sleep=off)
args+=(-kernel "$elf")

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
t0=$(date +%s%N)
timeout --kill-after=2 "$tmo" "$qemu" "${args[@]}" </dev/null >"$out" 2>"$err"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cat "$out"
[ -s "$err" ] && sed 's/^/qemu stderr: /' "$err"

if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "qemu-run: FAIL: guest hung: no exit within ${tmo} s"
  exit 124
fi
if [ ! -s "$out" ]; then
  echo "qemu-run: FAIL: guest printed nothing (QEMU exit status $rc)"
  [ "$rc" -ne 0 ] && exit "$rc"
  exit 3
fi
if [ "$rc" -ne 0 ]; then
  echo "qemu-run: FAIL: guest exit status $rc"
  exit "$rc"
fi
echo "qemu-run: ok in ${ms} ms ($(basename "$elf"), -smp $smp$([ "$icount" = 1 ] && echo ', icount'))"
