#!/bin/sh
# Usage: BASE=<dir holding <set>.out and <set>/run*/herd.log> summarize.sh <set>...
# Counts, per herd run's tracker log: runs ok/failed (from the driver's output), 'HQ projection failed' lines,
# push 'request failed' (500) lines, 'database busy' (503) lines.
for set in "$@"; do
  ok=$(grep -c ': ok ' ${BASE:-/tmp/16r}/$set.out); failed=$(grep -c 'FAILED' ${BASE:-/tmp/16r}/$set.out)
  pf=""; rf=0; bz=0
  for f in ${BASE:-/tmp/16r}/$set/run*/herd.log; do
    pf="$pf $(grep -c 'projection failed' $f)"; rf=$((rf + $(grep -c 'request failed' $f))); bz=$((bz + $(grep -c 'database busy' $f)))
  done
  echo "$set: herd runs ok=$ok failed=$failed; projector BEGIN failures per run:$pf; push 500s=$rf; push 503s=$bz"
done
