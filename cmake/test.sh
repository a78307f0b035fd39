#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make test`: configure and build every preset, run every test suite, lint,
# MISRA. Runs every stage even after a failure, then exits non-zero if any
# failed. Quiet: one line per stage (and per failing test), ctest's summary
# lines, the verdict; each stage's full output goes to build/logs/<stage>.log,
# named on its line.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
logs=build/logs
failed=()

mkdir -p "$logs" && : > build/ctest-summary.txt
rm -f "$logs"/*.log

# stage NAME CMD...: run CMD with its output in $logs/NAME.log; one line.
stage() {
  local name=$1; shift
  local log="$logs/${name// /-}.log" t0=$SECONDS rc
  "$@" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    printf 'ok    %-28s %4d s\n' "$name" $((SECONDS - t0))
  else
    printf 'FAIL  %-28s %4d s  log: %s\n' "$name" $((SECONDS - t0)) "$log"
    failed+=("$name")
  fi
  return $rc
}

build() { cmake --preset "$1" && cmake --build --preset "$1" -j "$jobs"; }

# ctest_stage PRESET [STAGE-NAME]: the stage line, then ctest's summary line
# and one line per failing test.
ctest_stage() {
  local p=$1 name=${2:-ctest $1}
  local log="$logs/${name// /-}.log"
  if [ ! -f "build/$p/CTestTestfile.cmake" ]; then
    printf 'FAIL  %-28s (not configured)\n' "$name"; failed+=("$name"); return
  fi
  stage "$name" ctest --preset "$p" -j "$jobs" --timeout 600
  grep -E 'tests passed|tests failed' "$log" | sed "s/^/[$p] /" | tee -a build/ctest-summary.txt
  sed -n '/^The following tests FAILED:/,/^Errors while running/p' "$log" |
    grep -E '^\s+[0-9]+ - ' | sed "s/^\s*/[$p] FAILED: /"
}

for p in host host-asan host-tsan r52 r82 r82-user; do
  stage "build $p" build "$p"
done
for p in host host-asan host-tsan r52 r82; do
  ctest_stage "$p"
done
# Cortex-R82's portable code as AArch64 under qemu-aarch64 (cmake/toolchain-r82-user.cmake).
ctest_stage r82-user "ctest r82-user"
# The library at -O0, -Og, -O2 and -Os (the presets build -O3): r52 and r82.
stage "opt levels" cmake/opt-levels.sh
stage "lint" cmake/lint.sh build/host
# MISRA C:2012 (cppcheck misra addon) over PRS_MISRA_DIRS, deviations in cmake/misra-deviations.txt.
stage "misra" cmake/misra.sh


if [ ${#failed[@]} -gt 0 ]; then
  printf 'make test: FAILED: %s (logs in %s/)\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')" "$logs"
  exit 1
fi
echo "make test: all stages passed"
