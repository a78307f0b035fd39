#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# RAM table: bytes per thread and shared, from sizeof in real r52 and r82
# builds of the headers (bench/ram/ram.c compiled per configuration, sizes
# read with nm -S), for 2/4/8 CPUs, 16/24/32 regions, 8/64 threads.
# Writes <out>/ram.csv and prints the table.
#
#   bench/ram/run.sh <out-dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: $0 <out-dir>}
mkdir -p "$out"
csv=$out/ram.csv tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc=(-I"$root/lib/include" -I"$root/sync/include" -I"$root/percpu/include")

declare -A cc=([r52]=arm-none-eabi-gcc [r82]=aarch64-linux-gnu-gcc)
declare -A nm=([r52]=arm-none-eabi-nm [r82]=aarch64-linux-gnu-nm)
declare -A flags=([r52]="-mcpu=cortex-r52 -mthumb-interwork" [r82]="-march=armv8-r -mgeneral-regs-only")

size_of() { # size_of OBJ SYMBOL -> decimal bytes
  local hex
  hex=$("${nm[$t]}" -S "$1" | awk -v s="$2" '$4 == s { print $2 }')
  [ -n "$hex" ] || { echo "bench/ram: no symbol $2 in $1" >&2; exit 1; }
  echo $((16#$hex))
}

echo "target,cpus,regions,threads,bytes_per_thread,bytes_shared,bytes_total" > "$csv"
for t in r52 r82; do
  for cpus in 2 4 8; do
    for regions in 16 24 32; do
      obj=$tmp/$t-$cpus-$regions.o
      # shellcheck disable=SC2086
      "${cc[$t]}" -std=c11 -ffreestanding -O2 ${flags[$t]} -fno-common "${inc[@]}" \
        -DPRS_MAX_CPUS="$cpus" -DPRS_MAX_REGIONS="$regions" -c "$here/ram.c" -o "$obj"
      th=$(size_of "$obj" prs_ram_thread) ver=$(size_of "$obj" prs_ram_version)
      sys=$(size_of "$obj" prs_ram_system) cpu=$(size_of "$obj" prs_ram_cpu)
      per=$((th + ver)) shared=$((sys + cpus * cpu + (cpus + 1) * ver))
      for threads in 8 64; do
        echo "$t,$cpus,$regions,$threads,$per,$shared,$((threads * per + shared))" >> "$csv"
      done
    done
  done
  range=$(size_of "$tmp/$t-2-16.o" prs_ram_range)
  echo "bench/ram: $t: a thread's own range table costs $range bytes per entry on top (caller storage)"
  for regions in 16 24 32; do
    o=$tmp/$t-2-$regions.o
    th=$(size_of "$o" prs_ram_thread) v2=$(size_of "$o" prs_ram_version_2x)
    echo "bench/ram: $t: $regions regions, oversized layout (capacity $((2 * regions - 4)): twice the dynamic slots): $((th + v2)) bytes per thread"
  done
done
echo "bench/ram: one symmetric layout class, 4 static regions per CPU; pool = threads + CPUs + 1 versions"
column -s, -t < "$csv"
echo "bench/ram: wrote $csv"
