#!/bin/bash
# Row-by-row comparison of each bench tool's output before (base tree) and after (this branch):
# numbers, the tree path, table padding and the run's random HQ hash masked; prints SAME or the diff.
norm() { sed -n '3,$p' "$1" | sed -E 's#/tmp/16af-base|/work/wt/issue-16af#TREE#g; s/hash [0-9a-f]{16}/hash H/; s/[0-9]+(\.[0-9]+)?/N/g; s/[─┌┐└┘├┤┬┴┼]+//g; s/ +/ /g'; }
for t in cpuprofile-tools frame-worker-costs frame-worker-split projector-fold-costs projector-drain-folds tracker-ingest-costs command-tail bench-store bench-profile bench-identity; do
  if d=$(diff <(norm before-$t.txt) <(norm after-$t.txt)); then echo "$t: SAME rows"; else echo "$t: DIFFERENT"; echo "$d"; fi
done
