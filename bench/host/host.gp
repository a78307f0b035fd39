# SPDX-License-Identifier: MIT
# Plots host-summary.csv (written by prs-host-bench --out): reader latency per
# implementation against the number of readers, without writers and with one
# writer per reader. Points are medians over repeats, bars span min..max.
# Called by run.sh: gnuplot -e "csv='...'; png='...'; impls='a b c'" host.gp
set terminal pngcairo size 1400,1000 font ",10"
set output png
set datafile separator ","
set key top left font ",9"
set grid ytics
set xrange [0.5:4.5]
set xtics 1
set xlabel "readers (2 CPUs)"
n = words(impls)
dx(i) = (i - (n + 1) / 2.0) * 0.05
# The rows of one implementation and writer mode, so each becomes one line.
rows(mode, i) = sprintf("< awk -F, '$1 == \"%s\" && $4 == \"%s\"' '%s'", word(impls, i), mode, csv)
shade(x0) = sprintf("set object 1 rect from %g, graph 0 to 4.5, graph 1 behind fc rgb '#eeeeee' fs solid noborder", x0)

set multiplot layout 2,2 title "prsched host benchmark: reader op = acquire + copy 8 slots + release (ns, overhead-subtracted; shaded = more threads than CPUs)"

set logscale y
set ylabel "ns per op (log)"
set yrange [1:*]
eval shade(2.5)
set title "reader p50 (16-op batches / 16), no writer"
plot for [i=1:n] rows("none", i) using ($2 + dx(i)):5:6:7 \
     with yerrorlines lw 2 pt 7 title word(impls, i)

eval shade(1.5)
set title "reader p50 (16-op batches / 16), one writer per reader (1 publish / 10 us each)"
plot for [i=1:n] rows("per-reader", i) using ($2 + dx(i)):5:6:7 \
     with yerrorlines lw 2 pt 7 title word(impls, i)

set yrange [10:*]
eval shade(2.5)
set title "reader p99.9 (single-op brackets), no writer"
plot for [i=1:n] rows("none", i) using ($2 + dx(i)):11:12:13 \
     with yerrorlines lw 2 pt 7 title word(impls, i)

eval shade(1.5)
set title "reader p99.9 (single-op brackets), one writer per reader"
plot for [i=1:n] rows("per-reader", i) using ($2 + dx(i)):11:12:13 \
     with yerrorlines lw 2 pt 7 title word(impls, i)
unset multiplot
