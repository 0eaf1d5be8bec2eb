#!/bin/sh
# Alternates the fixed file (this branch) and the original file at 5021941 (base tree, the
# attacker's timeout message naming batch sizes) beside two busy loops and one loop of small
# synced writes (dd oflag=dsync), each bounded by `timeout`, <pairs> times.
pairs=$1
d=/work/wt/issue-12v/bench/results/history/12v-runs
timeout 900 sh -c 'while :; do :; done' & b1=$!
timeout 900 sh -c 'while :; do :; done' & b2=$!
timeout 900 sh -c 'while :; do dd if=/dev/zero of=/tmp/12v-fsync bs=64k count=16 oflag=dsync 2>/dev/null; done' & b3=$!
for i in $(seq 1 "$pairs"); do
  $d/repro.sh /work/wt/issue-12v fixed 1
  mv $d/fixed-1.log $d/fixed-io-r$i.log
  $d/repro.sh /tmp/12v-base original 1
  mv $d/original-1.log $d/original-io-r$i.log
done
kill $b1 $b2 $b3
rm -f /tmp/12v-fsync
