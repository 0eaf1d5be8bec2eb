#!/usr/bin/env python3
"""Prints before/after tables from the JSON `npm run bench profile|store` wrote (usage: table.py DIR LABEL...)."""
import json, sys, glob, os
d = sys.argv[1]; labels = sys.argv[2:]
def load(suite):
    runs = []
    for f in sorted(glob.glob(os.path.join(d, f'{suite}-*.json'))):
        n, label = os.path.basename(f)[len(suite)+1:-5].split('-', 1)
        if labels and label not in labels: continue
        runs.append((int(n), label, json.load(open(f))))
    return sorted(runs, key=lambda r: (r[0], r[2]['at']))
def val(j, metric):
    for r in j['rows']:
        if r['metric'] == metric: return f"{r['value']} {'%' if r['unit']=='%' else r['unit']}".replace('pages','').strip()
    return ''
def table(suite, rows):
    runs = load(suite)
    if not runs: return
    head = ['figure'] + [f'{l} {n}' for n, l, _ in runs]
    out = [head, ['commit'] + [j['commit'] for *_, j in runs],
           ['measured at (UTC)'] + [j['at'][11:19] for *_, j in runs],
           ['load average (1 min) start→end'] + [f"{j['loadAverage1m']['start']}→{j['loadAverage1m']['end']}" for *_, j in runs]]
    for label, metric in rows:
        out.append([label] + [metric(j) if callable(metric) else val(j, metric) for *_, j in runs])
    w = [max(len(r[i]) for r in out) for i in range(len(head))]
    for k, r in enumerate(out):
        print('| ' + ' | '.join(c.ljust(w[i]) for i, c in enumerate(r)) + ' |')
        if k == 0: print('|' + '|'.join('-' * (x + 2) for x in w) + '|')
    print()
table('profile', [
    ('WAL pages per command, signing on', 'signing on: WAL frames per incident command'),
    ('WAL pages per command (main row)', 'WAL frames (pages) written per incident command'),
    ('command p50, FULL', 'incident command p50, synchronous=FULL'),
    ('command p99, FULL', 'incident command p99, synchronous=FULL'),
    ('command p50, OFF (CPU only)', 'incident command p50, synchronous=OFF (CPU only)'),
    ('command p99, OFF (CPU only)', 'incident command p99, synchronous=OFF (CPU only)'),
    ('signing on: CPU-only p50', 'signing on: command p50, synchronous=OFF (CPU only)'),
    ('signing on: CPU-only p99', 'signing on: command p99, synchronous=OFF (CPU only)'),
])
table('store', [
    ('floor p50', 'floor: 300 B overwrite in a preallocated file + fdatasync p50'),
    ('floor p99', 'floor: 300 B overwrite in a preallocated file + fdatasync p99'),
    ('SQLite one-row commit p99', 'SQLite WAL+FULL one-row commit p99'),
    ('durable incident command p50', 'durable incident command p50'),
    ('durable incident command p99', 'durable incident command p99'),
    ('commands whose commit grew the WAL file', 'commands whose commit grew the WAL file'),
    ('command p99, WAL overwritten in place', 'durable incident command p99, WAL overwritten in place'),
])
if True:
    for n, l, j in load('profile'):
        print(f"{l} {n}: " + ', '.join(f"{o['owner']} {o['perCommand']}" for o in j['detail']['pagesByOwner']))
table('receive', [
    (f'batches of {b}: {m}', f"append of a peer's 21670 events in batches of {b}: {m}")
    for b in (500, 1000, 2000) for m in ('main-thread CPU', 'wall')
])
table('syncquick', [
    ('Guardline drain of 10,004 offline events', 'Guardline drain 8235' and 'Guardline drain'),
    ('bare HTTP + SQLite pipe, 1,000 per POST', lambda j: next((f"{r['value']} {r['unit']}" for r in j['rows'] if r['metric'].startswith('bare HTTP')), '')),
    ('tracker alone, 1,000 per POST', lambda j: next((f"{r['value']} {r['unit']}" for r in j['rows'] if r['metric'].startswith('tracker alone')), '')),
    ('PouchDB, batches of 1000', lambda j: next((f"{r['value']} {r['unit']}" for r in j['rows'] if r['metric'].startswith('PouchDB')), '')),
])
