#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build cost of prs_set_build: P partitions + base + stack + guard.
#   bench/build-cost/run.sh <host-build-dir> [<r52-build-dir>]
# Host: instructions per build from callgrind (deterministic), counted only
# inside prs_set_build (--toggle-collect), averaged over many builds.
# r52: QEMU mps3-an536 with -icount shift=0,sleep=off (1 ns per instruction).
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: $0 <host-build-dir> [<r52-build-dir>]" >&2; exit 2; }
host=$1 r52=${2:-}
bin=$host/bench/build-cost/prs-build-cost
builds=1000
if [ ! -x "$bin" ]; then
  cmake --build "$host" --target prs-build-cost -j2 >/dev/null ||
    { echo "build-cost: FAIL: cannot build prs-build-cost in $host"; exit 1; }
fi
command -v valgrind >/dev/null || { echo "build-cost: FAIL: valgrind not found"; exit 127; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A fw
if [ -n "$r52" ]; then
  elf=$r52/bench/build-cost/prs_bench_build_cost.elf
  [ -f "$elf" ] || cmake --build "$r52" --target prs_bench_build_cost -j2 >/dev/null
  if [ -f "$elf" ]; then
    while read -r tag p slots ns; do
      [ "$tag" = build-cost ] && fw[$p]=$ns
    done < <(timeout --kill-after=5 120 "${QEMU:-qemu-system-arm}" -M mps3-an536 -smp 1 \
      -icount shift=0,sleep=off -display none -monitor none -serial null \
      -chardev stdio,id=s0 -semihosting-config enable=on,target=native,chardev=s0 \
      -kernel "$elf" </dev/null | tr -d '\r')
  else
    echo "build-cost: no r52 firmware ($elf)"
  fi
fi

echo "prs_set_build cost: P partitions + RAM base + stack + guard (AArch32 layout, 2 static)"
echo "host: valgrind --tool=callgrind --toggle-collect=prs_set_build $bin P $builds"
printf '%-10s %-8s %-18s %s\n' partitions slots "host instr/build" "r52 QEMU ns/build"
rc=0
for p in 1 4 8 16; do
  out=$tmp/cg.$p
  slots=$(valgrind --tool=callgrind --toggle-collect=prs_set_build \
    --callgrind-out-file="$out" "$bin" "$p" "$builds" 2>/dev/null | awk '{print $3}')
  total=$(awk '/^summary:/ {print $2}' "$out")
  if [ -z "$total" ] || [ -z "$slots" ]; then
    echo "build-cost: FAIL: no callgrind result for $p partitions"; rc=1; continue
  fi
  printf '%-10s %-8s %-18s %s\n' "$p" "$slots" "$((total / builds))" "${fw[$p]:--}"
done
exit $rc
