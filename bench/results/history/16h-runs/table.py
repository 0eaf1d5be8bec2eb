#!/usr/bin/env python3
"""Renders the before/after tables of notes/issue-16h.md and docs/performance.md ("Third round")
from the JSON files the benches wrote (copied from bench/results/ after each run by pairs.sh)."""
import json, sys, os
d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
def load(name):
    with open(os.path.join(d, name)) as f: return json.load(f)
def row(j, metric):
    for r in j['rows']:
        if r['metric'] == metric: return r['value']
    return '–'
def cols(suite):
    out = []
    for n in (1, 2):
        for label in ('before', 'after'):
            f = f'{suite}-{n}-{label}.json'
            if os.path.exists(os.path.join(d, f)): out.append((f'{label} {n}', load(f)))
    return out
def table(suite, metrics):
    cs = cols(suite)
    print('| figure | ' + ' | '.join(c for c, _ in cs) + ' |')
    print('|---|' + '---|' * len(cs))
    print('| commit | ' + ' | '.join(j['commit'] for _, j in cs) + ' |')
    print('| measured at (UTC) | ' + ' | '.join(j['at'][11:19] for _, j in cs) + ' |')
    print('| load average (1 min) start→end | ' + ' | '.join(f"{j['loadAverage1m']['start']}→{j['loadAverage1m']['end']}" for _, j in cs) + ' |')
    for label, metric, unit in metrics:
        print(f'| {label} | ' + ' | '.join(f'{row(j, metric)}{unit}' for _, j in cs) + ' |')
    print()
table('store', [
    ('floor p50', 'floor: 300 B overwrite in a preallocated file + fdatasync p50', ' ms'),
    ('floor p99', 'floor: 300 B overwrite in a preallocated file + fdatasync p99', ' ms'),
    ('SQLite one-row commit p99', 'SQLite WAL+FULL one-row commit p99', ' ms'),
    ('durable incident command p50', 'durable incident command p50', ' ms'),
    ('durable incident command p99', 'durable incident command p99', ' ms'),
    ('commands whose commit grew the WAL file', 'commands whose commit grew the WAL file', ' %'),
    ('of the 20 slowest: growing the WAL', 'of the commands slower than the p99: growing the WAL file', ' %'),
    ('command p99, WAL overwritten in place', 'durable incident command p99, WAL overwritten in place', ' ms'),
    ('commands overlapping a worker checkpoint', 'commands overlapping a WAL checkpoint (worker thread)', ' %'),
])
table('profile', [
    ('WAL pages per command', 'WAL frames (pages) written per incident command', ''),
    ('command p50, FULL', 'incident command p50, synchronous=FULL', ' ms'),
    ('command p99, FULL', 'incident command p99, synchronous=FULL', ' ms'),
    ('command p50, OFF (CPU only)', 'incident command p50, synchronous=OFF (CPU only)', ' ms'),
    ('command p99, OFF (CPU only)', 'incident command p99, synchronous=OFF (CPU only)', ' ms'),
    ('signing on: CPU-only p50', 'signing on: command p50, synchronous=OFF (CPU only)', ' ms'),
    ('signing on: CPU-only p99', 'signing on: command p99, synchronous=OFF (CPU only)', ' ms'),
    ('signing off: CPU-only p50', 'signing off: command p50, synchronous=OFF (CPU only)', ' ms'),
])
