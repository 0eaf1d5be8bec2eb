#!/usr/bin/env python3
"""Prints this round's figures from the logs in this folder (python3 summary.py):
the stall bench's retention row per run (tree, load, the core thread's most CPU between two
5 ms ticks, the longest gap), the sweep alone per tree (sweep-merges*.txt), the bursts' merge
work (fts-commands*.txt), and the profile's pages and CPU-only rows (*-profile.json)."""
import glob, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
def runs(pattern):
    return sorted(glob.glob(os.path.join(here, pattern)), key=lambda p: int(os.path.basename(p).split('-')[0]))

print('# stall bench, retention row (GUARDLINE_BENCH_STALL_ONLY=retention, seed cached in /tmp/16aa-c1)')
for p in runs('*-stall*.txt'):
    text = open(p).read()
    head = re.search(r'loadavg(?: before:)? (\S+)', text)
    row = re.search(r'\n  retention: (stall [^;]+); longest gap ([^;]+); most CPU between ticks ([\d.]+ ms)', text)
    gc = re.search(r'\n  retention: .*in the busiest tick interval: ([^\n]+)', text)
    if not row:
        print(f'{os.path.basename(p)}: no retention row (run unfinished)')
        continue
    seeded = re.search(r'seeded \d+ events in ([\d.]+ s)', text)
    print(f'{os.path.basename(p)}: load {head.group(1) if head else "?"}; {row.group(1)}; longest gap {row.group(2)}; '
          f'most CPU between ticks {row.group(3)}; collections in that interval: {gc.group(1) if gc else "?"}'
          + (f'; seed {seeded.group(1)}' if seeded else ''))

print('\n# the sweep alone on a copy of the seed (sweep-merges.ts): per tree, per kind of transaction')
for p in sorted(glob.glob(os.path.join(here, 'sweep-merges*.txt'))):
    for line in open(p):
        if line.startswith('# 20') or line.startswith('start-up (') or 'slice:' in line or 'merge step:' in line \
                or line.startswith('index segments') or line.startswith('searches'):
            print(f'{os.path.basename(p)}: {line.rstrip()[:330]}')

print('\n# bursts of 8,000 incident commands, synchronous=OFF (fts-commands.ts)')
for p in sorted(glob.glob(os.path.join(here, 'fts-commands*.txt'))):
    for line in open(p):
        if line.startswith('fts-commands '):
            d = json.loads(line[len('fts-commands '):])
            print(f'{os.path.basename(p)}: automerge {d["automerge"]}, load {d["load"][0]}: commands whose commit changed the '
                  f'index {d["commands whose commit changed the search index"]} of {d["commands"]}')
        elif line.startswith('  '):
            print(f'{os.path.basename(p)}: {line.strip()[:260]}')

print('\n# npm run bench profile (pages per command; CPU-only rows swing with the load)')
for p in runs('*-profile.json'):
    d = json.load(open(p))
    rows = {r['metric']: r['value'] for r in d.get('rows', [])}
    load = re.search(r'loadavg before: (\S+)', open(p.replace('.json', '.txt')).read())
    keys = ['WAL frames (pages) written per incident command', 'signing on: WAL frames per incident command',
            'WAL frames written after the command commit (search index, no fsync of its own)',
            'signing on: command p99, synchronous=OFF (CPU only)', 'incident command p99, synchronous=OFF (CPU only)']
    print(f'{os.path.basename(p)}: load {load.group(1) if load else "?"}; ' + '; '.join(f'{k} {rows.get(k)}' for k in keys))
