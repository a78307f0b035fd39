# SPDX-License-Identifier: MIT
# Virtual ns per switch against N (QEMU -icount). Called by run.sh:
#   gnuplot -e "csv='switch.csv'; out='switch.png'" switch.gp
# Baselines do not compare sets, so their half/same rows equal their full
# rows; only "full" is drawn for them (the CSV has all three).
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1100,700 enhanced font "DejaVu Sans,11"
} else {
  set terminal png size 1100,700
}
set output out
set datafile separator ","
set title "MPU switch cost on QEMU mps3-an536 (Cortex-R52, -icount: 1 ns = 1 instruction)"
set xlabel "dynamic regions N"
set ylabel "virtual ns per switch"
set key inside left top box opaque
set grid
set xrange [0:*]
set yrange [0:*]
set offsets 0, 0.5, 0, 0
set xtics 1
# One series = the rows of one (impl, case); grep keeps lines unbroken.
series(i, c) = sprintf("< grep '^%s,%s,' %s", i, c, csv)
plot \
  series("prsched","full") using 3:4             with linespoints lw 2 pt 7 lc rgb "#d62728" title "prsched full change", \
  series("prsched","half") using 3:4             with linespoints lw 2 pt 5 lc rgb "#ff7f0e" title "prsched half change", \
  series("prsched","same") using 3:4             with linespoints lw 2 pt 9 lc rgb "#8c564b" title "prsched same set", \
  series("prsched","contended-max") using 3:4    with linespoints lw 1 dt 2 pt 6 lc rgb "#d62728" title "prsched max, core 1 republishing", \
  series("zephyr-arm64","full") using 3:4        with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "zephyr-arm64 (any case)", \
  series("zephyr-arm64","contended-max") using 3:4 with linespoints lw 1 dt 2 pt 6 lc rgb "#1f77b4" title "zephyr-arm64 max, core 1 rewriting", \
  series("freertos-cr82","full") using 3:4       with linespoints lw 2 pt 7 lc rgb "#2ca02c" title "freertos-cr82 restore (any case)", \
  series("freertos-cr82","full+save") using 3:4  with linespoints lw 1 dt 3 pt 4 lc rgb "#2ca02c" title "freertos-cr82 save+restore", \
  series("threadx-r52","full") using 3:4         with linespoints lw 2 pt 7 lc rgb "#9467bd" title "threadx-r52 (any case)"
