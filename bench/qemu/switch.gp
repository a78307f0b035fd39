# SPDX-License-Identifier: MIT
# switch.png from switch.csv. Called by run.sh:
#   gnuplot -e "csv='switch.csv'; out='switch.png'; cw=20; cb=203; co=10" switch.gp
# Top: virtual ns per switch against N (QEMU -icount: instructions).
# Bottom left: estimated silicon cycles against N (log scale; bars: the low
# and high constants). Bottom right: the estimate at N = 8 split into
# instructions, MPU writes, barriers and acquire/release accesses, so the
# barriers' share is visible. Baselines do not compare sets, so their
# half/same rows equal their full rows; only "full" is drawn for them.
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1400,1100 enhanced font "DejaVu Sans,11"
} else {
  set terminal png size 1400,1100
}
set output out
set datafile separator ","
series(i, c) = sprintf("< grep '^%s,%s,' %s", i, c, csv)
set multiplot

# ---- top: QEMU virtual ns ----------------------------------------------
set origin 0, 0.5
set size 1, 0.5
set title "MPU switch cost on QEMU mps3-an536 (Cortex-R52, -icount: 1 ns = 1 instruction; barriers cost 1 ns here)"
set xlabel "dynamic regions N"
set ylabel "virtual ns per switch"
set key inside left top box opaque
set grid
set xrange [0:*]
set yrange [0:*]
set offsets 0, 0.5, 0, 0
set xtics 1
plot \
  series("prsched","full") using 3:4             with linespoints lw 2 pt 7 lc rgb "#d62728" title "prsched full change", \
  series("prsched","half") using 3:4             with linespoints lw 2 pt 5 lc rgb "#ff7f0e" title "prsched half change (costs what full does)", \
  series("prsched","same") using 3:4             with linespoints lw 2 pt 9 lc rgb "#8c564b" title "prsched same set", \
  series("prsched-nstatic","full") using 3:4     with linespoints lw 2 pt 13 lc rgb "#e377c2" title "prsched full, PRS\\_NSTATIC=4", \
  series("prsched","contended-max") using 3:4    with linespoints lw 1 dt 2 pt 6 lc rgb "#d62728" title "prsched max, core 1 republishing", \
  series("zephyr-arm64","full") using 3:4        with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "zephyr-arm64 (any case)", \
  series("zephyr-arm64","contended-max") using 3:4 with linespoints lw 1 dt 2 pt 6 lc rgb "#1f77b4" title "zephyr-arm64 max, core 1 rewriting", \
  series("freertos-cr82","full") using 3:4       with linespoints lw 2 pt 7 lc rgb "#2ca02c" title "freertos-cr82 restore (any case)", \
  series("freertos-cr82","full+save") using 3:4  with linespoints lw 1 dt 3 pt 4 lc rgb "#2ca02c" title "freertos-cr82 save+restore", \
  series("threadx-r52","full") using 3:4         with linespoints lw 2 pt 7 lc rgb "#9467bd" title "threadx-r52, uniprocessor (any case)"

# ---- bottom left: estimated cycles ---------------------------------------
set origin 0, 0
set size 0.5, 0.5
set title sprintf("Estimated R52 cycles = instr. + %d writes + %d barriers + %d acq/rel", cw, cb, co)
set ylabel "estimated cycles per switch (log)"
set logscale y
set yrange [10:*]
set key inside left top box opaque font ",9"
plot \
  series("prsched","full") using 3:8:9:10        with yerrorlines lw 2 pt 7 lc rgb "#d62728" title "prsched full change", \
  series("prsched","same") using 3:8:9:10        with yerrorlines lw 2 pt 9 lc rgb "#8c564b" title "prsched same set", \
  series("zephyr-arm64","full") using 3:8:9:10   with yerrorlines lw 2 pt 7 lc rgb "#1f77b4" title "zephyr-arm64", \
  series("freertos-cr82","full") using 3:8:9:10  with yerrorlines lw 2 pt 7 lc rgb "#2ca02c" title "freertos-cr82 restore", \
  series("threadx-r52","full") using 3:8:9:10    with yerrorlines lw 2 pt 7 lc rgb "#9467bd" title "threadx-r52 (UP)"
unset logscale y

# ---- bottom right: where the N = 8 estimate goes --------------------------
set origin 0.5, 0
set size 0.5, 0.5
set title "Estimated cycles at N = 8 (full change), by component"
set ylabel "estimated cycles per switch"
set xlabel ""
set yrange [0:*]
set xrange [-0.6:3.6]
set offsets 0, 0, 0, 0
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set key inside left top box opaque font ",9"
set xtics rotate by -20 font ",9"
# One row per implementation at N = 8: label, I, W c_w, B c_b, O c_o.
n8 = sprintf("< awk -F, -v cw=%d -v cb=%d -v co=%d 'BEGIN { split(\"prsched zephyr-arm64 freertos-cr82 threadx-r52\", o, \" \") } $2 == \"full\" && $3 == 8 { r[$1] = $4 \",\" $5 * cw \",\" $6 * cb \",\" $7 * co } END { for (i = 1; i <= 4; i++) if (o[i] in r) print (o[i] == \"threadx-r52\" ? \"threadx-r52 (UP)\" : o[i]) \",\" r[o[i]] }' %s", cw, cb, co, csv)
plot n8 using 2:xtic(1) lc rgb "#7f7f7f" title "instructions", \
     '' using 3 lc rgb "#bcbd22" title "MPU writes x c_w", \
     '' using 4 lc rgb "#d62728" title "barriers x c_b", \
     '' using 5 lc rgb "#17becf" title "acq/rel x c_o"
unset multiplot
