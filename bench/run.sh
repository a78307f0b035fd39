#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench`: build the r52, r82 and host presets, then run every benchmark that
# exists in the tree. A benchmark that is not there yet is named as missing,
# never faked.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
out=build/bench
mkdir -p "$out"
rc=0

# r82: the library only, for the switch path's worst-case bound.
for p in r52 r82 host; do
  echo "bench: building preset $p"
  cmake --preset "$p" >/dev/null && cmake --build --preset "$p" -j "$jobs" >/dev/null \
    || { echo "bench: build of $p failed"; exit 1; }
done

run() { # run NAME SCRIPT ARGS...
  local name=$1 script=$2; shift 2
  if [ -x "$script" ]; then
    printf '\n=== %s (%s)\n' "$name" "$script"
    "$script" "$@" || { echo "bench: $name FAILED"; rc=1; }
  else
    printf '\n=== %s: not in this tree yet (%s)\n' "$name" "$script"
  fi
}

run "QEMU switch latency and prs_fault cost (mps3-an536, -icount)" bench/qemu/run.sh build/r52 "$out" build/r82
run "set build cost (callgrind, QEMU)" bench/build-cost/run.sh build/host build/r52
run "host publication benchmark" bench/host/run.sh build/host "$out"
run "RAM per thread and shared (sizeof, r52 and r82 builds)" bench/ram/run.sh "$out"
exit $rc
