# SPDX-License-Identifier: MIT
# Tables for sets larger than the MPU (issue 13), from one run's switch.csv
# and fault.csv (awk -F, -f fault.awk switch.csv fault.csv; run.sh):
# prs_fault's cost against the look-up length, the switch of an oversized
# set next to the full-K switch, a time slice that touches every region,
# and the break-even fault-in counts against the switch rows measured in
# the same run. Ratios and break-evens are computed here, never asserted.
FNR == NR {
  if (FNR > 1) { k = $1 SUBSEP $2 SUBSEP $3; sns[k] = $4; swb[k] = $5 "/" $6 "/" $7; sest[k] = $8; slo[k] = $9; shi[k] = $10 }
  next
}
FNR == 1 { next }
{
  k = $1 SUBSEP $2
  ns[k] = $5; wbo[k] = $6 "/" $7 "/" $8; scan[k] = $4; nf[k] = $10; fi[k] = $11
  est[k] = $12; lo[k] = $13; hi[k] = $14; K = $3
  if (!($2 in seen)) { seen[$2] = 1; sets[++nsets] = $2 }
}
function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }
function f(x) { return x == "" ? "-" : x }
function rng(e, l, h) { return e == "" ? "-" : e " (" l "-" h ")" }
function line(label, n, sc, t, w, e, l, h, base) {
  printf "%-36s %4s %5s %9s %11s %20s %9s\n", label, n, f(sc), f(t), f(w), rng(e, l, h), r(e, base)
}
function frow(label, c, n,   k) {
  k = c SUBSEP n
  if (k in ns) line(label, n, scan[k], ns[k], wbo[k], est[k], lo[k], hi[k], pk)
}
# Break-even count: (target - base) / per; "none" when the switch alone exceeds the target.
function be(target, base, per) {
  if (target == "" || base == "" || per + 0 <= 0) return "-"
  return target + 0 < base + 0 ? "none" : sprintf("%.1f", (target - base) / per)
}
END {
  if (!nsets) { print "fault.awk: no oversized-set rows"; exit 1 }
  P = "prsched"; T = "threadx-r52"; Z = "zephyr-arm64"
  pk = sest[P, "full", K]
  print ""
  printf "Sets larger than the MPU (issue 13): K = %d dynamic slots. prs_fault is called directly by the timed loop\n", K
  print "(no abort: the kernel's exception entry and return come on top), production library; writes/barriers from"
  print "the PRS_STATS=1 copy. scan: set entries the look-up walks per call, on average. est: estimated R52 cycles"
  print "(mid, low-high), same constants as the switch rows; last column: est / prsched's full-change switch of K regions."
  printf "%-36s %4s %5s %9s %11s %20s %9s\n", "", "set", "scan", "virt ns", "wr/bar/acq", "est cycles", "/ switch"
  line(sprintf("switch, full change, fits (N=%d)", K), K, "", sns[P, "full", K], swb[P, "full", K], pk, slo[P, "full", K], shi[P, "full", K], pk)
  for (i = 1; i <= nsets; i++) frow("switch, oversized set, full change", "switch-over", sets[i])
  for (i = 1; i <= nsets; i++) {
    frow("fault-in, blind, first K+1 regions", "fault-blind-first", sets[i])
    frow("fault-in, blind, last K+1 regions", "fault-blind-last", sets[i])
    frow("fault-in, ordered, last K+1 regions", "fault-ordered-last", sets[i])
    frow("real fault (granted by nothing)", "fault-real", sets[i])
  }

  # Growth of the look-up: the same fault-in with the target further down
  # the set, and the whole walk of a real fault, between the two set sizes.
  a = sets[1]; b = sets[nsets]
  print ""
  if (nsets > 1) {
    d = scan["fault-blind-last", b] - scan["fault-blind-last", a]
    per = d > 0 ? (ns["fault-blind-last", b] - ns["fault-blind-last", a]) / d : 0
    dr = scan["fault-real", b] - scan["fault-real", a]
    perr = dr > 0 ? (ns["fault-real", b] - ns["fault-real", a]) / dr : 0
    printf "Look-up: %.1f virtual ns (instructions) per set entry walked to a granting region (fault-in, blind, set %d -> %d,\n", per, a, b
    printf "scan %s -> %s), %.1f per entry when nothing grants the address (real fault, set %d -> %d).\n", scan["fault-blind-last", a], scan["fault-blind-last", b], perr, a, b
    fixed = ns["fault-blind-first", a] - per * scan["fault-blind-first", a]
    printf "Fixed part of a blind fault-in (the first K+1 row less its walk): %.0f ns.\n", fixed
    for (j = 1; j <= 2; j++) {
      n = j == 1 ? a : b; wk = per * scan["fault-blind-last", n]
      printf "The walk in the set-%d fault-in (last K+1): %.0f of %s virtual ns (%.0f%%), of %s est cycles (%.0f%%).\n", n, wk, ns["fault-blind-last", n], 100 * wk / ns["fault-blind-last", n], est["fault-blind-last", n], 100 * wk / est["fault-blind-last", n]
    }
  }

  # A thread that touches every region of its set in each time slice.
  print ""
  print "Time slice of a thread that touches all its regions: the switch, then a fault-in for each region past K."
  print "Ratios against full-change switches of K regions measured in the same run (est cycles mid; virtual ns in brackets)."
  printf "%4s %9s %10s %12s %20s | %15s %15s %15s\n", "set", "fault-ins", "virt ns", "wr/bar/acq", "est cycles", "/ prsched K", "/ threadx(UP) K", "/ zephyr K"
  for (i = 1; i <= nsets; i++) {
    k = "slice" SUBSEP sets[i]
    if (!(k in ns)) continue
    printf "%4s %9s %10s %12s %20s | %15s %15s %15s\n", sets[i], nf[k], ns[k], wbo[k], rng(est[k], lo[k], hi[k]),
      r(est[k], pk) " (" r(ns[k], sns[P, "full", K]) ")", r(est[k], sest[T, "full", K]) " (" r(ns[k], sns[T, "full", K]) ")",
      r(est[k], sest[Z, "full", K]) " (" r(ns[k], sns[Z, "full", K]) ")"
  }

  # Break-even fault-ins per slice, with the blind fault-in of the 2K set.
  fk = "fault-blind-last" SUBSEP a
  F = est[fk]; Fl = lo[fk]; Fh = hi[fk]; Fn = ns[fk]
  print ""
  printf "One blind fault-in (set %d, last K+1 regions) = %s x a full-K switch in est cycles (%s in virtual ns).\n", a, r(F, pk), r(Fn, sns[P, "full", K])
  print "Break-even fault-ins per time slice, est cycles mid (low, high constants; virtual ns):"
  printf "  MPU cost of the slice doubles against the same thread merged to fit K slots: %s (%s, %s; %s)\n",
    be(2 * pk, pk, F), be(2 * slo[P, "full", K], slo[P, "full", K], Fl), be(2 * shi[P, "full", K], shi[P, "full", K], Fh), be(2 * sns[P, "full", K], sns[P, "full", K], Fn)
  printf "  prsched switch + fault-ins reach threadx-r52's (UP) full-K switch: %s (%s, %s; %s)\n",
    be(sest[T, "full", K], pk, F), be(slo[T, "full", K], slo[P, "full", K], Fl), be(shi[T, "full", K], shi[P, "full", K], Fh), be(sns[T, "full", K], sns[P, "full", K], Fn)
  printf "  prsched switch + fault-ins reach zephyr-arm64's full-K switch: %s (%s, %s; %s)\n",
    be(sest[Z, "full", K], pk, F), be(slo[Z, "full", K], slo[P, "full", K], Fl), be(shi[Z, "full", K], shi[P, "full", K], Fh), be(sns[Z, "full", K], sns[P, "full", K], Fn)
}
