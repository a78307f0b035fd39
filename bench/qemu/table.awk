# SPDX-License-Identifier: MIT
# Tables from switch.csv (awk -F, -v bounds=FILE -f table.awk switch.csv):
# virtual ns per switch with ratios, MPU writes / barriers / acquire-release
# accesses per switch, estimated silicon cycles, maxima under contention,
# and the issue's targets, each with its value from this run (reported,
# never asserted here). bounds: lines "ARCH FUNC longest_path=N ..." from
# check_switch_asm.py (run.sh).
NR == 1 { next }
{
  key = $1 SUBSEP $2 SUBSEP $3
  ns[key] = $4; wr[key] = $5; bar[key] = $6; ar[key] = $7
  est[key] = $8; lo[key] = $9; hi[key] = $10
  if (!($3 in seen_n)) { seen_n[$3] = 1; nlist[++nn] = $3 }
}
function k3(i, c, n) { return i SUBSEP c SUBSEP n }
function v(i, c, n) { return (k3(i, c, n) in ns) ? ns[k3(i, c, n)] : "" }
function e(i, c, n) { return (k3(i, c, n) in est) ? est[k3(i, c, n)] : "" }
function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
function f(x) { return x == "" ? "-" : x }
function wb(i, c, n,   k) { k = k3(i, c, n); return (k in wr) ? wr[k] "/" bar[k] "/" ar[k] : "-" }
function rng(i, c, n,   k) { k = k3(i, c, n); return (k in est) ? est[k] " (" lo[k] "-" hi[k] ")" : "-" }
function verdict(ok) { return ok ? "met" : "NOT met" }
function row(a, b, c, d) { printf "| %-66s | %-30s | %-28s | %-7s |\n", a, b, c, d }
function target(metric, now, tgt, ok) { row(metric, now, tgt, verdict(ok)) }
END {
  split("full half same", cases, " ")
  P = "prsched"; Z = "zephyr-arm64"; F = "freertos-cr82"; T = "threadx-r52"
  print ""
  print "Virtual ns per switch (QEMU -icount: 1 ns = 1 instruction; a barrier costs 1 ns here, far more on silicon)"
  print "threadx(UP) = threadx-r52, a uniprocessor port (no cross-CPU protocol); the others run on SMP kernels"
  printf "%3s %-5s %9s %9s %9s %9s %11s | %7s %7s %7s | %7s %7s\n", "N", "case", "prsched", "zephyr", "freertos", "frt+save", "threadx(UP)", "P/zep", "P/frt", "P/tx", "frt/zep", "tx/zep"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    for (c = 1; c <= 3; c++) {
      cs = cases[c]
      p = v(P, cs, n); z = v(Z, cs, n); fr = v(F, cs, n); t = v(T, cs, n)
      fs = cs == "full" ? v(F, "full+save", n) : ""
      printf "%3s %-5s %9s %9s %9s %9s %11s | %7s %7s %7s | %7s %7s\n", n, cs, f(p), f(z), f(fr), f(fs), f(t), r(p, z), r(p, fr), r(p, t), r(fr, z), r(t, z)
    }
  }
  print ""
  print "MPU register writes / barriers / acquire-release accesses per switch"
  print "(writes: PRSELR, PRBAR(n), PRLAR(n), SCTLR, MAIR; barriers: DMB, DSB, ISB; acq/rel: LDA/STL, LDAEX/STLEX)"
  printf "%3s %-5s %10s %10s %10s %10s %11s\n", "N", "case", "prsched", "zephyr", "freertos", "frt+save", "threadx(UP)"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    for (c = 1; c <= 3; c++) {
      cs = cases[c]
      printf "%3s %-5s %10s %10s %10s %10s %11s\n", n, cs, wb(P, cs, n), wb(Z, cs, n), wb(F, cs, n), cs == "full" ? wb(F, "full+save", n) : "-", wb(T, cs, n)
    }
  }
  print ""
  print "Estimated Cortex-R52 cycles per switch: instructions + c_w writes + c_b barriers + c_o acq/rel"
  print "(mid constants, low-high in brackets; run.sh prints the constants and their derivation)"
  printf "%3s %-5s %18s %22s %18s %18s %8s %8s\n", "N", "case", "prsched", "zephyr", "freertos", "threadx(UP)", "P/zep", "P/tx"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    for (c = 1; c <= 3; c++) {
      cs = cases[c]
      printf "%3s %-5s %18s %22s %18s %18s %8s %8s\n", n, cs, rng(P, cs, n), rng(Z, cs, n), rng(F, cs, n), rng(T, cs, n), r(e(P, cs, n), e(Z, cs, n)), r(e(P, cs, n), e(T, cs, n))
    }
  }
  t8 = e(T, "full", 8)
  if (t8 != "")
    printf "Cross-check: threadx-r52's MPU part at N=8 is %s cycles (mid); the S32Z280 figure for a whole ThreadX context switch is about 1400, leaving %d for the rest of it.\n", t8, 1400 - t8
  print ""
  print "Largest single switch (full change), ns; core 1 idle vs core 1 republishing the same two threads"
  printf "%3s %12s %12s %7s | %12s %12s %7s\n", "N", "prsched idle", "contended", "ratio", "zephyr idle", "contended", "ratio"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    pu = v(P, "uncontended-max", n); pc = v(P, "contended-max", n)
    zu = v(Z, "uncontended-max", n); zc = v(Z, "contended-max", n)
    printf "%3s %12s %12s %7s | %12s %12s %7s\n", n, f(pu), f(pc), r(pc, pu), f(zu), f(zc), r(zc, zu)
  }

  print ""
  print "Issue 9 targets, computed from this run (ratios against baselines measured in the same run):"
  row("metric", "now", "target", "status")
  printf "|%s|%s|%s|%s|\n", "--------------------------------------------------------------------", "--------------------------------", "------------------------------", "---------"
  if (v(P, "full", 8) == "") { print "| prsched rows missing: library switch path not built |"; exit }
  p8 = v(P, "full", 8); p12 = v(P, "full", 12)
  target("prsched full change N=8, virtual ns", p8, "<= 80", p8 + 0 <= 80)
  q = r(p8, v(T, "full", 8))
  target("prsched full N=8 / threadx-r52 (UP) at the same slot count", q "x", "<= 1.6x", q != "-" && q + 0 <= 1.6)
  q = r(p12, v(T, "full", 12))
  target("prsched full N=12 / threadx-r52 (UP)", q "x", "<= 1.8x", q != "-" && q + 0 <= 1.8)
  PF = "prsched-nstatic"
  if (v(PF, "full", 8) != "") {
    pf8 = v(PF, "full", 8); q = r(pf8, v(T, "full", 8)); q12 = r(v(PF, "full", 12), v(T, "full", 12))
    row("  same with the static count fixed at build time (PRS_NSTATIC=4): N=8 ns", pf8, "<= 80", verdict(pf8 + 0 <= 80))
    row("  PRS_NSTATIC=4: full N=8 / threadx-r52 (UP)", q "x", "<= 1.6x", verdict(q != "-" && q + 0 <= 1.6))
    row("  PRS_NSTATIC=4: full N=12 / threadx-r52 (UP)", q12 "x", "<= 1.8x", verdict(q12 != "-" && q12 + 0 <= 1.8))
  }
  worst = 0; wmax = 0; bmax = 0
  for (k = 1; k <= nn; k++) {
    key = k3(P, "same", nlist[k])
    if (ns[key] + 0 > worst) worst = ns[key] + 0
    if (wr[key] + 0 > wmax) wmax = wr[key] + 0
    if (bar[key] + 0 > bmax) bmax = bar[key] + 0
  }
  target("prsched same set (worst N)", sprintf("%s ns, %d writes, %d barriers", worst, wmax, bmax), "<= 14 ns, 0 writes, 0 barriers", worst <= 14 && wmax == 0 && bmax == 0)
  q = r(e(P, "full", 8), e(T, "full", 8))
  ql = r(lo[k3(P, "full", 8)], lo[k3(T, "full", 8)]); qh = r(hi[k3(P, "full", 8)], hi[k3(T, "full", 8)])
  target("est. cycles N=8 prsched / threadx-r52 (UP), same constants", q "x (low " ql ", high " qh ")", "<= 1.0x", q != "-" && q + 0 <= 1.0)
  q = r(e(P, "full", 8), e(Z, "full", 8))
  ql = r(lo[k3(P, "full", 8)], lo[k3(Z, "full", 8)]); qh = r(hi[k3(P, "full", 8)], hi[k3(Z, "full", 8)])
  target("est. cycles N=8 prsched / zephyr-arm64", q "x (low " ql ", high " qh ")", "<= 0.07x", q != "-" && q + 0 <= 0.07)
  bmin = 99; bmx = 0
  for (k = 1; k <= nn; k++)
    for (c = 1; c <= 2; c++) {
      key = k3(P, cases[c], nlist[k])
      if (bar[key] + 0 > bmx) bmx = bar[key] + 0
      if (bar[key] + 0 < bmin) bmin = bar[key] + 0
    }
  target("barriers per switch (prsched full/half, every N; one gap)", bmin == bmx ? bmx : bmin "-" bmx, "2 (+1 ISB across gaps)", bmx <= 2)
  worst = 0
  for (k = 1; k <= nn; k++) { q = r(v(P, "contended-max", nlist[k]), v(P, "uncontended-max", nlist[k])); if (q != "-" && q + 0 > worst) worst = q + 0 }
  target("contended max / uncontended max (prsched, worst N)", sprintf("%.2f", worst), "1.00", worst <= 1.0)
  nnote = 0
  while ((getline line < bounds) > 0) {
    if (line ~ /^#/) { note[++nnote] = line; continue }
    split(line, fld, " "); split(fld[3], kv, "=")
    row("worst-case instructions " fld[1] " " fld[2] " (longest path, callees)", kv[2], "(reported)", "-")
  }
  for (k = 1; k <= nnote; k++) print note[k]
}
