#!/usr/bin/env python3
"""(12x's table.py, its patterns changed to the bench's warm and cold rows, round 12y)
python3 table.py <first> <last> [base-label head-label]: the mesh bench's catch-up rows of the
pairs <base>-i / <head>-i (run.sh logs here), per 1,000 events, with means and how many pairs the
head was lower in; the load at each run's start from its .load file."""
import re, sys, os
here = os.path.dirname(os.path.abspath(__file__))
first, last = int(sys.argv[1]), int(sys.argv[2])
bl, hl = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ('base', 'head')
COLS = [
    ('catch-up ev/s', r"'catch-up of \d+ events console → console over the mesh, warm[^']*'\s*│\s*'(\d+) events/s'"),
    ('drain ev/s', r"console → tracker drain of \d+ events, warm tracker: (\d+) events/s"),
    ('B main /1k', r"per 1,000 events warm, with the worker: B's main thread\"\s*│\s*'([\d.]+) ms'"),
    ('all B /1k', r"per 1,000 events warm, with the worker: all of B's threads\"\s*│\s*'([\d.]+) ms'"),
    ('B preparer /1k', r"per 1,000 events warm, with the worker: B's frame preparer thread alone\"\s*│\s*'([\d.]+) ms'"),
    ('B V8 helpers /1k', r"per 1,000 events warm, with the worker: B's V8 helper threads \(GC, compiling\)\"\s*│\s*'([\d.]+) ms'"),
    ('A main (ms)', r"CPU of the catch-up warm, with the worker: A's main thread[^│]*│\s*'([\d.]+) ms'"),
    ('cold: B main /1k', r"per 1,000 events cold, with the worker: B's main thread\"\s*│\s*'([\d.]+) ms'"),
    ('inline: B main /1k', r"per 1,000 events cold, inline: B's main thread\"\s*│\s*'([\d.]+) ms'"),
]
def read(label):
    text = open(os.path.join(here, f'{label}.txt')).read()
    load = open(os.path.join(here, f'{label}.load')).read().split('\n')[0]
    commit = load.split()[2]
    l = re.search(r'\d\d:\d\d:\d\d ([\d.]+)', load).group(1)
    vals = []
    for _, rx in COLS:
        m = re.search(rx, text)
        vals.append(float(m.group(1)) if m else None)
    return commit, l, vals
rows = []; sums = {bl: [0.0] * len(COLS), hl: [0.0] * len(COLS)}; lower = [0] * len(COLS); n = 0
print('| run | load at start | ' + ' | '.join(c for c, _ in COLS) + ' |')
print('|' + ' --- |' * (len(COLS) + 2))
for i in range(first, last + 1):
    try:
        b = read(f'{bl}-{i}'); h = read(f'{hl}-{i}')
    except FileNotFoundError:
        continue
    if None in b[2] or None in h[2]:
        continue
    n += 1
    for lab, r in ((bl, b), (hl, h)):
        print(f'| {lab}-{i} {r[0]} | {r[1]} | ' + ' | '.join(f'{v:g}' for v in r[2]) + ' |')
        sums[lab] = [s + v for s, v in zip(sums[lab], r[2])]
    lower = [x + (1 if hv < bv else 0) for x, hv, bv in zip(lower, h[2], b[2])]
for lab in (bl, hl):
    print(f'| **{lab}: mean of {n}** | | ' + ' | '.join(f'{s / n:.1f}' for s in sums[lab]) + ' |')
print(f'| **{hl} lower in, of {n} pairs** | | ' + ' | '.join(str(x) for x in lower) + ' |')
