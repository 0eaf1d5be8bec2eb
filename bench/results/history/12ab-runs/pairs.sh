#!/bin/bash
# usage: pairs.sh <first> <last> <base tree> <head tree> [<base label> <head label>]: run.sh <base>-i and <head>-i
# (the mesh catch-up with B's GC trace), alternating which goes first, for i from first to last.
here=$(cd "$(dirname "$0")" && pwd)
bl=${5:-base}; hl=${6:-head}
for i in $(seq $1 $2); do
  if [ $((i % 2)) -eq 1 ]; then $here/run.sh $bl-$i $3; $here/run.sh $hl-$i $4; else $here/run.sh $hl-$i $4; $here/run.sh $bl-$i $3; fi
done
