#!/bin/sh
# Alternates branch and base runs of the whole prepared-frames file beside two busy loops
# (each bounded by `timeout`), <pairs> times.
pairs=$1
d=/work/wt/issue-12v/bench/results/history/12v-runs
timeout 1500 sh -c 'while :; do :; done' & b1=$!
timeout 1500 sh -c 'while :; do :; done' & b2=$!
for i in $(seq 1 "$pairs"); do
  $d/repro.sh /work/wt/issue-12v head 1
  mv $d/head-1.log $d/head-r$i.log
  $d/repro.sh /tmp/12v-base base 1
  mv $d/base-1.log $d/base-r$i.log
done
kill $b1 $b2
