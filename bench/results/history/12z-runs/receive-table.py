#!/usr/bin/env python3
"""receive-table.py <receive-turns-N.txt>…: per tree, the main thread's and the process's CPU per
1,000 events over every measured run (mean and median), and in how many of the (invocation, run)
slots each tree's main thread was below the first tree's (the base), as printed by receive-costs.ts."""
import re, sys, statistics
runs = {}  # tree -> {(file, invocation, run): (main, process)}
for path in sys.argv[1:]:
    inv = 0
    for line in open(path):
        if line.startswith('== invocation'):
            inv = int(line.split()[2])
        m = re.match(r'run (\d+) (\S+): (\d+) events; main thread (\d+) ms \(([\d.]+) per 1,000\), process (\d+) ms \(([\d.]+)\)', line)
        if m:
            runs.setdefault(m.group(2), {})[(path, inv, int(m.group(1)))] = (float(m.group(5)), float(m.group(7)))
trees = list(runs)
base = next((t for t in trees if t.endswith('base')), trees[0])
print(f'| tree | runs | main /1k mean | main /1k median | process /1k mean | process /1k median | main below {base}, of slots |')
print('|---|---|---|---|---|---|---|')
for t in trees:
    v = runs[t]
    mains = [x[0] for x in v.values()]; procs = [x[1] for x in v.values()]
    common = [k for k in v if k in runs[base]]
    below = sum(1 for k in common if v[k][0] < runs[base][k][0])
    print(f'| {t} | {len(v)} | {statistics.mean(mains):.1f} | {statistics.median(mains):.1f} | {statistics.mean(procs):.1f} | {statistics.median(procs):.1f} | {below} of {len(common)} |')
