#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/host/run.sh <host-build-dir> <out-dir> [prs-host-bench options]
#
# Runs the host publication benchmark (built by the host preset): prsched's
# reader (switch) and writer (publish) sides against liburcu qsbr/memb, CK
# epoch and a Zephyr-style CAS flag, readers 1..4, writers 0 / 1 / one per
# reader, 5 interleaved repeats. Prints the table, writes <out>/host.csv (one
# row per run), <out>/host-summary.csv (medians and spreads), <out>/host.txt
# (the printed table) and <out>/host.png. About a minute on 2 CPUs.
set -euo pipefail
build=${1:?usage: run.sh <host-build-dir> <out-dir> [options]}
out=${2:?usage: run.sh <host-build-dir> <out-dir> [options]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bench/host/prs-host-bench
if [ ! -x "$bin" ]; then
  echo "bench/host: $bin is not built (cmake --preset host && cmake --build --preset host)" >&2
  exit 1
fi
mkdir -p "$out"
"$bin" --out "$out" "$@" | tee "$out/host.txt"
impls=$(tail -n +2 "$out/host-summary.csv" | cut -d, -f1 | awk '!seen[$0]++' | tr '\n' ' ')
gnuplot -e "csv='$out/host-summary.csv'; png='$out/host.png'; impls='${impls% }'" "$here/host.gp"
echo "bench/host: wrote $out/host.csv $out/host-summary.csv $out/host.txt $out/host.png"
