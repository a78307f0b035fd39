#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# QEMU switch-latency benchmark: run the firmware under -icount (1 virtual ns
# per instruction), stream its progress, then write <out>/switch.csv, print
# the tables with ratios and draw <out>/switch.png.
#
#   bench/qemu/run.sh <r52-build-dir> <out-dir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 <r52-build-dir> <out-dir>" >&2; exit 2; }
build=$1 out=$2
elf=$build/bench/qemu/prs_bench_switch.elf
qemu=${QEMU:-qemu-system-arm}

if [ ! -f "$elf" ]; then
  echo "bench/qemu: $elf missing, building target prs_bench_switch"
  cmake --build "$build" --target prs_bench_switch -j2 >/dev/null ||
    { echo "bench/qemu: FAIL: cannot build prs_bench_switch in $build"; exit 1; }
fi
command -v "$qemu" >/dev/null || { echo "bench/qemu: FAIL: $qemu not found"; exit 127; }
mkdir -p "$out"
log=$out/switch.log csv=$out/switch.csv png=$out/switch.png

echo "bench/qemu: $(basename "$elf") on $("$qemu" --version | head -1), -smp 2, -icount shift=0,sleep=off"
t0=$SECONDS
# The firmware prints one CSV line per (impl, case, N) as it goes; show each
# as it arrives. Semihosting console on stdout, UARTs unconnected.
timeout --kill-after=5 300 "$qemu" -M mps3-an536 -smp 2 -icount shift=0,sleep=off \
  -display none -monitor none -serial null -chardev stdio,id=s0 \
  -semihosting-config enable=on,target=native,chardev=s0 -kernel "$elf" </dev/null |
  tee "$log" | while IFS= read -r line; do
    case $line in
      CSV,*) IFS=, read -r _ impl cs n ns w b <<<"$line"
             printf '  [%3ds] %-14s %-16s N=%-2s %8s ns  %3s writes %3s barriers\n' \
               $((SECONDS - t0)) "$impl" "$cs" "$n" "$ns" "$w" "$b" ;;
      *) printf '  %s\n' "$line" ;;
    esac
  done
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
  echo "bench/qemu: FAIL: firmware exited with status $rc (log: $log)"
  exit 1
fi
echo "bench/qemu: firmware run took $((SECONDS - t0)) s"

{
  echo "impl,case,regions,virt_ns_per_switch,mpu_writes,barriers"
  grep '^CSV,' "$log" | cut -d, -f2-
} >"$csv"
echo "bench/qemu: wrote $csv ($(($(wc -l <"$csv") - 1)) rows)"

awk -F, -f "$here/table.awk" "$csv"

if command -v gnuplot >/dev/null; then
  if gnuplot -e "csv='$csv'; out='$png'" "$here/switch.gp"; then
    echo "bench/qemu: wrote $png"
  else
    echo "bench/qemu: FAIL: gnuplot could not draw $png"; exit 1
  fi
else
  echo "bench/qemu: gnuplot not installed: no $png"
fi
