#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The library at every optimization level a kernel may build it with: -O0,
# -Og, -O2 and -Os (the presets build -O3). r52: the library, the switch
# disassembly check (no exclusive, DMB, indirect branch or loop, at any
# level) and the switch/publish suites on QEMU's two cores; r82: the library
# and its disassembly check. Build trees: build/opt/<target>-<level>.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
rc=0
mkdir -p build/opt
for o in O0 Og O2 Os; do
  for t in r52 r82; do
    b=build/opt/$t-$o
    if [ "$t" = r52 ]; then
      targets=(prsched prsched_testing prs_asm_bad qemu_sync_switch qemu_sync_publish)
      tests='^(qemu_sync_switch|qemu_sync_publish|sync\.switch_asm)$'
    else
      targets=(prsched prs_asm_bad)
      tests='^sync\.switch_asm_r82$'
    fi
    if cmake --preset "$t" -B "$b" -DCMAKE_C_FLAGS_RELEASE="-$o" >"$b.log" 2>&1 &&
       cmake --build "$b" -j "$jobs" --target "${targets[@]}" >>"$b.log" 2>&1 &&
       ctest --test-dir "$b" -R "$tests" --timeout 400 >>"$b.log" 2>&1 &&
       grep -q '100% tests passed' "$b.log"; then
      echo "ok    $t -$o ($(grep -Eo '[0-9]+ tests passed|out of [0-9]+' "$b.log" | tail -1))"
    else
      echo "FAIL  $t -$o (log: $b.log)"
      rc=1
    fi
  done
done
exit $rc
