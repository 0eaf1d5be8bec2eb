#!/usr/bin/env python3
"""Round 16p: prints the JSON lines of prize.tmp.ts (prize-*.log) and cpu16p.tmp.ts (cpu-pairs-*.log) as tables (usage: lines.py prize|cpu)."""
import json, sys, glob
what = sys.argv[1]
def show(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    print('| ' + ' | '.join(str(c).ljust(w[i]) for i, c in enumerate(head)) + ' |')
    print('|' + '|'.join('-' * (x + 2) for x in w) + '|')
    for r in rows: print('| ' + ' | '.join(str(c).ljust(w[i]) for i, c in enumerate(r)) + ' |')
    print()
if what == 'prize':
    rows = []
    for f in sorted(glob.glob('prize-*.log')):
        lines = open(f).read().splitlines()
        load = f"{lines[0].split()[-1]}→{[l for l in lines if l.startswith('load average (1 min) at end')][0].split()[-1]}"
        for l in lines:
            if l.startswith('{'):
                j = json.loads(l)
                rows.append([f, load, j['synchronous'], j['side'], j['commands'], f"{j['p50']} ms", f"{j['p90']} ms", f"{j['p99']} ms", f"{j['flushMsPerCommand']} ms"])
    show(['run', 'load (1 min)', 'synchronous', 'incident row', 'commands', 'p50', 'p90', 'p99', 'row write-back per command'], rows)
else:
    for f in sorted(glob.glob('cpu-pairs-*.log')):
        rows = []
        for l in open(f):
            side, rest = l.split(' ', 1)
            j = json.loads(rest)
            for mode in ('OFF', 'FULL'):
                m = j[mode]
                rows.append([side, j['commit'], j['at'][11:19], j['load'], j['policies'], mode, f"{m['p50']} ms", f"{m['p90']} ms", f"{m['p99']} ms", f"{m['cpuMsPerCommand']} ms"])
        print(f)
        show(['tree', 'commit', 'at (UTC)', 'load (1 min)', 'policies', 'synchronous', 'p50', 'p90', 'p99', 'process CPU per command'], rows)
