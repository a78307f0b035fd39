# SPDX-License-Identifier: MIT
# Tables from switch.csv (awk -F, -f table.awk switch.csv): virtual ns per
# switch with ratios, MPU writes / barriers per switch, maxima under
# contention, and the project's targets (reported, never asserted here).
NR == 1 { next }
{
  key = $1 SUBSEP $2 SUBSEP $3
  ns[key] = $4; wr[key] = $5; bar[key] = $6
  if (!($3 in seen_n)) { seen_n[$3] = 1; nlist[++nn] = $3 }
}
function v(i, c, n) { return ((i SUBSEP c SUBSEP n) in ns) ? ns[i SUBSEP c SUBSEP n] : "" }
function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
function f(x) { return x == "" ? "-" : x }
function wb(i, c, n,   k) { k = i SUBSEP c SUBSEP n; return (k in wr) ? wr[k] "/" bar[k] : "-" }
END {
  split("full half same", cases, " ")
  P = "prsched"; Z = "zephyr-arm64"; F = "freertos-cr82"; T = "threadx-r52"
  print ""
  print "Virtual ns per switch (QEMU -icount: 1 ns = 1 instruction; a barrier costs 1 ns here, far more on silicon)"
  printf "%3s %-5s %9s %9s %9s %9s %9s | %7s %7s %7s | %7s %7s\n", "N", "case", "prsched", "zephyr", "freertos", "frt+save", "threadx", "P/zep", "P/frt", "P/tx", "frt/zep", "tx/zep"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    for (c = 1; c <= 3; c++) {
      cs = cases[c]
      p = v(P, cs, n); z = v(Z, cs, n); fr = v(F, cs, n); t = v(T, cs, n)
      fs = cs == "full" ? v(F, "full+save", n) : ""
      printf "%3s %-5s %9s %9s %9s %9s %9s | %7s %7s %7s | %7s %7s\n", n, cs, f(p), f(z), f(fr), f(fs), f(t), r(p, z), r(p, fr), r(p, t), r(fr, z), r(t, z)
    }
  }
  print ""
  print "MPU register writes / barriers per switch (writes: PRSELR, PRBAR(n), PRLAR(n), SCTLR, MAIR; barriers: DMB, DSB, ISB)"
  printf "%3s %-5s %9s %9s %9s %9s %9s\n", "N", "case", "prsched", "zephyr", "freertos", "frt+save", "threadx"
  for (k = 1; k <= nn; k++) {
    n = nlist[k]
    for (c = 1; c <= 3; c++) {
      cs = cases[c]
      printf "%3s %-5s %9s %9s %9s %9s %9s\n", n, cs, wb(P, cs, n), wb(Z, cs, n), wb(F, cs, n), cs == "full" ? wb(F, "full+save", n) : "-", wb(T, cs, n)
    }
  }
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
  print "Targets (reported, not asserted):"
  n8 = (P SUBSEP "full" SUBSEP 8) in ns ? 8 : nlist[nn]
  p = v(P, "full", n8); z = v(Z, "full", n8); b8 = bar[P SUBSEP "full" SUBSEP n8]
  if (p == "") print "  prsched rows missing: library switch path not built"
  else {
    printf "  prsched full change N=%s: %s x zephyr-arm64 (target <= 0.25), %s barriers (target <= 2): %s\n", n8, r(p, z), b8, (p / z <= 0.25 && b8 <= 2) ? "MET" : "NOT MET"
    worst = 0; wmax = 0
    for (k = 1; k <= nn; k++) { s = v(P, "same", nlist[k]); if (s + 0 > worst) worst = s + 0; if (wr[P SUBSEP "same" SUBSEP nlist[k]] + 0 > wmax) wmax = wr[P SUBSEP "same" SUBSEP nlist[k]] + 0 }
    printf "  prsched same set: up to %s ns (target <= 30), %d MPU writes (target 0): %s\n", worst, wmax, (worst <= 30 && wmax == 0) ? "MET" : "NOT MET"
    worst = 0
    for (k = 1; k <= nn; k++) { q = r(v(P, "contended-max", nlist[k]), v(P, "uncontended-max", nlist[k])); if (q != "-" && q + 0 > worst) worst = q + 0 }
    printf "  prsched contended max / uncontended max: up to %.2f (target <= 1.10): %s\n", worst, worst <= 1.10 ? "MET" : "NOT MET"
  }
}
