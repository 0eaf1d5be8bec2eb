#!/usr/bin/env python3
"""Prints the before/after tables of round 16u from cpu-pairs-<round>.log (written by pairs.sh,
one JSON line per run of cpu16u.tmp.ts, prefixed base/branch).
  python3 lines.py 2          # the table of round 2
Figures are copied as the script wrote them; nothing is computed but the order of the rows."""
import json, sys, os

here = os.path.dirname(os.path.abspath(__file__))
rnd = sys.argv[1] if len(sys.argv) > 1 else '1'
rows = []
for line in open(os.path.join(here, f'cpu-pairs-{rnd}.log')):
    side, js = line.split(' ', 1)
    d = json.loads(js)
    case = 'threat, shipped policies' if d['policies'] == 'default' else 'no policy'
    if d.get('resolve'):
        case += ', each resolved after'
    tree = os.path.basename(d['tree'])
    for mode in ('OFF', 'FULL'):
        m = d[mode]
        rows.append([side, tree, d['at'][11:19], d['load'], case, mode, str(m['commands']),
                     f"{m['processCpuP50']} ms", f"{m['processCpuP99']} ms", f"{m['processCpuMean']} ms",
                     f"{m['threadCpuMean']} ms", f"{m['wallP50']} ms", f"{m['wallP99']} ms"])
head = ['tree', 'copy', 'at (UTC)', 'load (1 min)', 'creates', 'synchronous', 'commands', 'CPU p50', 'CPU p99',
        'CPU mean', 'main thread CPU mean', 'wall p50', 'wall p99']
w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
fmt = lambda r: '| ' + ' | '.join(c.ljust(w[i]) for i, c in enumerate(r)) + ' |'
print(fmt(head))
print('| ' + ' | '.join('-' * x for x in w) + ' |')
for r in rows:
    print(fmt(r))
