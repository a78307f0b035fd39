#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest: run the quick switch benchmark under QEMU (-icount) and check what
# does not depend on timing:
#   - the firmware exits 0 and printed rows for every implementation,
#   - prsched "same": 0 MPU writes (the fast path touches no register),
#   - prsched "full": exactly 2N MPU writes and at most 2 barriers,
#   - every baseline "same" row still writes (they do not compare sets),
#     so the check above cannot pass by a counting bug that reports 0.
#   check.sh QEMU_RUN QEMU_BIN FIRMWARE.elf
set -u
run=$1 qemu=$2 elf=$3
out=$("$run" --qemu "$qemu" --smp 2 --icount --timeout 90 "$elf")
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "check: FAIL: firmware run failed (status $rc)"; exit 1; }

printf '%s\n' "$out" | awk -F, '
  $1 != "CSV" { next }
  { rows++; seen[$2] = 1 }
  $2 == "prsched" && $3 == "same" {
    if ($6 != 0) { printf "check: FAIL: prsched same set N=%s wrote %s MPU registers, want 0\n", $4, $6; bad++ }
    same++ }
  $2 == "prsched" && $3 == "full" {
    if ($6 != 2 * $4) { printf "check: FAIL: prsched full change N=%s wrote %s MPU registers, want %d\n", $4, $6, 2 * $4; bad++ }
    if ($7 > 2) { printf "check: FAIL: prsched full change N=%s issued %s barriers, want <= 2\n", $4, $7; bad++ }
    full++ }
  $2 != "prsched" && $3 == "same" && $6 == 0 {
    printf "check: FAIL: %s same N=%s counted 0 writes: the counting build is broken\n", $2, $4; bad++ }
  END {
    if (!seen["prsched"]) { print "check: FAIL: no prsched rows (switch path not built?)"; bad++ }
    split("zephyr-arm64 freertos-cr82 threadx-r52", b, " ")
    for (i in b) if (!seen[b[i]]) { printf "check: FAIL: no %s rows\n", b[i]; bad++ }
    if (full < 5 || same < 5) { printf "check: FAIL: %d full / %d same prsched rows, want 5 each\n", full, same; bad++ }
    if (bad) exit 1
    printf "check: ok: %d rows; prsched same = 0 writes, full = 2N writes, <= 2 barriers\n", rows
  }'
