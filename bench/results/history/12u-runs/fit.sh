#!/bin/bash
# usage: fit.sh <timeline.txt>… — least squares over B's transactions of ≥ 300 events in those
# timelines (mesh-timeline.ts --all lines "store N events … (cpu C)"): CPU = fixed + per event × N.
for f in "$@"; do
  grep -o 'store [0-9]* events in [0-9]* frame(s), [0-9.]* ms (cpu [0-9.]*)' "$f" | sed -E 's/store ([0-9]+) events.*cpu ([0-9.]+)\)/\1 \2/'
done | awk '$1>=300{n++; sx+=$1; sy+=$2; sxx+=$1*$1; sxy+=$1*$2; if ($2>max) max=$2} END{b=(n*sxy-sx*sy)/(n*sxx-sx*sx); a=(sy-b*sx)/n; printf "%d transactions: fixed %.2f ms a transaction, %.1f us an event; longest %.1f ms CPU\n", n, a, b*1000, max}'
