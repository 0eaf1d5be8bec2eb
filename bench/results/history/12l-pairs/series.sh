#!/bin/bash
# Per-change series: each commit's copy in turn, two rounds (base first).
for r in 1 2; do
  for c in base2 e013fa0b 9fd32fa 3b2fa1b dd34e23 32ba1ae; do
    /tmp/12l/run.sh s$r-$c $c
  done
done
