#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make test`: configure and build every preset, run every test suite, lint.
# Runs every stage even after a failure, then exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
failed=()
summary=()

stage() { # stage NAME CMD...
  local name=$1; shift
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    summary+=("ok    $name ($((SECONDS - t0)) s)")
  else
    summary+=("FAIL  $name ($((SECONDS - t0)) s)")
    failed+=("$name")
  fi
}

build() { cmake --preset "$1" >/dev/null && cmake --build --preset "$1" -j "$jobs"; }
run_ctest() {
  ctest --preset "$1" -j "$jobs" --timeout 600 2>&1 | tee "build/$1/ctest.log"
  local rc=${PIPESTATUS[0]}
  grep -E 'tests passed|tests failed' "build/$1/ctest.log" | sed "s/^/[$1] /" >> build/ctest-summary.txt
  return "$rc"
}

mkdir -p build && : > build/ctest-summary.txt
for p in host host-asan host-tsan r52 r82; do
  stage "build $p" build "$p"
done
for p in host host-asan host-tsan r52; do
  if [ -f "build/$p/CTestTestfile.cmake" ]; then
    stage "ctest $p" run_ctest "$p"
  else
    summary+=("FAIL  ctest $p (not configured)"); failed+=("ctest $p")
  fi
done
stage "lint (cppcheck, clang-tidy)" cmake/lint.sh build/host

printf '\n=== summary\n'
printf '%s\n' "${summary[@]}"
cat build/ctest-summary.txt
if [ ${#failed[@]} -gt 0 ]; then
  printf 'make test: FAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo "make test: all stages passed"
