#!/bin/bash
# usage: flagpairs.sh <first> <last> <tree> <prefix> "<B flags>" ["<web host node args>"]: run.sh <prefix>-def-i (no flags) and
# <prefix>-flag-i (the flags) on the same tree, alternating which goes first.
here=$(cd "$(dirname "$0")" && pwd)
for i in $(seq $1 $2); do
  if [ $((i % 2)) -eq 1 ]; then $here/run.sh $4-def-$i $3 ""; $here/run.sh $4-flag-$i $3 "$5" "$6"
  else $here/run.sh $4-flag-$i $3 "$5" "$6"; $here/run.sh $4-def-$i $3 ""; fi
done
