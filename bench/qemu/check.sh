#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ctest: run the quick switch benchmark under QEMU (-icount) and check what
# does not depend on timing:
#   - both firmwares exit 0; the timing one printed rows for every
#     implementation, the counting one (prsched linked with its PRS_STATS=1
#     copy) prsched's counted rows,
#   - prsched "same": 0 MPU writes and 0 barriers (the fast path touches no
#     register),
#   - prsched "full": exactly 2 MPU writes per slot it copies -- N slots, up
#     to the next even slot (PRS_COPY_STEP 2, 4 static slots) -- and at
#     most 2 barriers,
#   - every baseline "same" row still writes (they do not compare sets),
#     so the checks above cannot pass by a counting bug that reports 0,
#   - the baselines keep the shape of the ports they re-express:
#     threadx-r52 2N + 2 writes and 3 barriers (table, window close,
#     DSB + ISB), zephyr-arm64 4 acquire/release accesses (CAS + exchange,
#     no DMB: 3 barriers per region, 3 per cleared slot, 6 around them),
#     freertos-cr82 one PRSELR + ISB per slot,
#   - the oversized-set rows (FAULT lines, issue 13), every case for both
#     set sizes, timed and counted; a fault-in writes one slot (2 writes,
#     2 barriers; 3 and 3 ordered) and counts as one fault-in, a real fault
#     writes nothing, the oversized switch writes what the full-K switch
#     does, a time slice is one switch and set - K fault-ins (the firmware
#     itself fails if a timed prs_fault returned the wrong result).
#   check.sh QEMU_RUN QEMU_BIN FIRMWARE.elf [COUNTING_FIRMWARE.elf]
set -u
run=$1 qemu=$2 elf=$3 stats=${4:-}
out=$("$run" --qemu "$qemu" --smp 2 --icount --timeout 90 "$elf")
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "check: FAIL: firmware run failed (status $rc)"; exit 1; }
counted=""
if [ -n "$stats" ]; then
  counted=$("$run" --qemu "$qemu" --smp 2 --icount --timeout 90 "$stats")
  rc=$?
  printf '%s\n' "$counted"
  [ "$rc" -eq 0 ] || { echo "check: FAIL: counting firmware run failed (status $rc)"; exit 1; }
else
  echo "check: no counting firmware (PRS_BENCH_STATS=OFF): prsched's counts not checked"
fi

{ printf '%s\n' "$out" | sed 's/^CSV,/T,/; s/^FAULT,/TF,/'
  printf '%s\n' "$counted" | sed 's/^CSV,/C,/; s/^FAULT,/CF,/'; } | awk -F, -v have_counts="${stats:+1}" '
  # Oversized sets: TF/CF,case,set,slots,scan,ns,writes,barriers,switches,faults,fault_ins
  $1 == "TF" { tf[$2 "," $3] = 1; nset[$3] = $4; next }
  $1 == "CF" {
    cs = $2; n = $3; k = $4; wr = $7; ba = $8; sw = $9; f = $10; fi = $11; cf[cs "," n] = 1
    if (cs ~ /^fault-/) {
      real = cs == "fault-real"; ord = cs ~ /ordered/
      want = real ? 0 : ord ? 3 : 2
      if (sw != 0 || f != 1 || fi != (real ? 0 : 1) || wr != want || ba != want) {
        printf "check: FAIL: %s set=%s: %s switches, %s faults, %s fault-ins, %s writes, %s barriers; want 0, 1, %d, %d, %d\n", cs, n, sw, f, fi, wr, ba, real ? 0 : 1, want, want; bad++ }
    } else if (cs == "switch-over") {
      over_w[n] = wr
      if (sw != 1 || f != 0 || ba > 2) { printf "check: FAIL: switch-over set=%s: %s switches, %s faults, %s barriers; want 1, 0, <= 2\n", n, sw, f, ba; bad++ }
    } else if (cs == "slice") {
      if (sw != 1 || f != n - k || fi != n - k || wr != 2 * n || ba != 2 + 2 * (n - k)) {
        printf "check: FAIL: slice set=%s: %s switches, %s faults, %s fault-ins, %s writes, %s barriers; want 1, %d, %d, %d, %d\n", n, sw, f, fi, wr, ba, n - k, n - k, 2 * n, 2 + 2 * (n - k); bad++ }
    }
    next
  }
  $1 != "T" && $1 != "C" { next }
  $1 == "T" { rows++; seen[$2] = 1 }
  $1 == "T" && $2 == "prsched" && $3 == "full" { timed++ }
  $1 == "C" && $2 == "prsched" && $3 == "same" {
    if ($6 != 0 || $7 != 0) { printf "check: FAIL: prsched same set N=%s: %s MPU writes, %s barriers, want 0 and 0\n", $4, $6, $7; bad++ }
    same++ }
  $1 == "C" && $2 == "prsched" && $3 == "full" {
    full_w[$4] = $6
    want = 2 * ($4 + $4 % 2)
    if ($6 != want) { printf "check: FAIL: prsched full change N=%s wrote %s MPU registers, want %d\n", $4, $6, want; bad++ }
    if ($7 > 2) { printf "check: FAIL: prsched full change N=%s issued %s barriers, want <= 2\n", $4, $7; bad++ }
    full++ }
  $1 == "T" && $2 != "prsched" && $3 == "same" && $6 == 0 {
    printf "check: FAIL: %s same N=%s counted 0 writes: the counting build is broken\n", $2, $4; bad++ }
  $1 == "T" && $2 == "threadx-r52" && $3 == "full" && ($6 != 2 * $4 + 2 || $7 != 3) {
    printf "check: FAIL: threadx-r52 N=%s: %s writes / %s barriers, want %d / 3 (the port: table, window close, DSB+ISB)\n", $4, $6, $7, 2 * $4 + 2; bad++ }
  $1 == "T" && $2 == "zephyr-arm64" && $3 == "full" && $8 != 4 {
    printf "check: FAIL: zephyr-arm64 N=%s: %s acquire/release accesses, want 4 (CAS + exchange)\n", $4, $8; bad++ }
  $1 == "T" && $2 == "freertos-cr82" && $3 == "full" { fr_w[$4] = $6; fr_b[$4] = $7 }
  END {
    if (!seen["prsched"]) { print "check: FAIL: no prsched rows (switch path not built?)"; bad++ }
    split("zephyr-arm64 freertos-cr82 threadx-r52", b, " ")
    for (i in b) if (!seen[b[i]]) { printf "check: FAIL: no %s rows\n", b[i]; bad++ }
    # One PRSELR + ISB per slot, whatever N: the counts are the same for every N.
    for (n in fr_w) for (m in fr_w) if (fr_w[n] != fr_w[m] || fr_b[n] != fr_b[m]) {
      printf "check: FAIL: freertos-cr82 counts differ between N=%s and N=%s\n", n, m; bad++ }
    if (timed < 5) { printf "check: FAIL: %d timed prsched full rows, want 5\n", timed; bad++ }
    if (have_counts && (full < 5 || same < 5)) { printf "check: FAIL: %d full / %d same counted prsched rows, want 5 each\n", full, same; bad++ }
    split("switch-over fault-blind-first fault-blind-last fault-ordered-last fault-real slice", oc, " ")
    nsz = 0
    for (n in nset) {
      nsz++
      for (i in oc) {
        if (!((oc[i] "," n) in tf)) { printf "check: FAIL: no timed %s row for set=%s\n", oc[i], n; bad++ }
        if (have_counts && !((oc[i] "," n) in cf)) { printf "check: FAIL: no counted %s row for set=%s\n", oc[i], n; bad++ }
      }
      # The switch of an oversized set copies the first K regions: the full-K switch.
      if (have_counts && over_w[n] != full_w[nset[n]]) {
        printf "check: FAIL: switch-over set=%s wrote %s registers, the full switch of K=%s %s\n", n, over_w[n], nset[n], full_w[nset[n]]; bad++ }
    }
    if (nsz < 2) { printf "check: FAIL: oversized rows for %d set sizes, want 2\n", nsz; bad++ }
    if (bad) exit 1
    printf "check: ok: %d rows; prsched same = 0 writes, full = 2N writes, <= 2 barriers; baselines keep their ports'\'' shape; oversized sets: %d sizes, fault-in 2/2 (ordered 3/3), real 0/0\n", rows, nsz
  }'
