#!/bin/bash
# usage: pairs.sh <first> <last> <base tree> <head tree>: pairs base-i / head-i of run.sh, alternating
# (which goes first alternates too), for i from first to last.
here=$(cd "$(dirname "$0")" && pwd)
for i in $(seq $1 $2); do
  if [ $((i % 2)) -eq 1 ]; then $here/run.sh base-$i $3; $here/run.sh head-$i $4; else $here/run.sh head-$i $4; $here/run.sh base-$i $3; fi
done
