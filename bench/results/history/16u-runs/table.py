#!/usr/bin/env python3
"""Prints before/after tables from the JSON `npm run bench profile|store|disk-sync` wrote (usage: table.py DIR [LABEL...]). Round 16u; copied from 16p-runs/table.py (identity suite added)."""
import json, sys, glob, os
d = sys.argv[1]; args = sys.argv[2:]
only = args[args.index('--suite') + 1] if '--suite' in args else None
rnd = int(args[args.index('--round') + 1]) if '--round' in args else None
labels = [a for i, a in enumerate(args) if a not in ('--suite', '--round') and (i == 0 or args[i - 1] not in ('--suite', '--round'))]
def load(suite):
    runs = []
    for f in sorted(glob.glob(os.path.join(d, f'{suite}-*.json'))):
        n, label = os.path.basename(f)[len(suite)+1:-5].split('-', 1)
        if labels and label not in labels: continue
        if rnd is not None and int(n) != rnd: continue
        runs.append((int(n), label, json.load(open(f))))
    return sorted(runs, key=lambda r: (r[0], r[2]['at']))
def val(j, metric):
    for r in j['rows']:
        if r['metric'] == metric: return f"{r['value']} {'%' if r['unit']=='%' else r['unit']}".replace('pages','').strip()
    return ''
def stall(j, m):
    return next((f"{r['value']} {r['unit']}" for r in j['rows'] if r['metric'].startswith('retention sweep') and r['metric'].endswith(m)), '')
def table(suite, rows):
    if only and suite != only: return
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
    ('signing off: CPU-only p50', 'signing off: command p50, synchronous=OFF (CPU only)'),
    ('signing off: CPU-only p99', 'signing off: command p99, synchronous=OFF (CPU only)'),
])
table('store', [
    ('floor p50', 'floor: 300 B overwrite in a preallocated file + fdatasync p50'),
    ('floor p99', 'floor: 300 B overwrite in a preallocated file + fdatasync p99'),
    ('SQLite one-row commit p99', 'SQLite WAL+FULL one-row commit p99'),
    ('durable incident command p50', 'durable incident command p50'),
    ('durable incident command p99', 'durable incident command p99'),
    ('commands whose commit grew the WAL file', 'commands whose commit grew the WAL file'),
    ('command p99, WAL overwritten in place', 'durable incident command p99, WAL overwritten in place'),
    ('command p99, no checkpoint running', 'durable incident command p99, no checkpoint running'),
])
table('identity', [
    (m, m) for m in ('sign (JCS + Ed25519), per event', 'raw 300 B append + fdatasync p99',
                     'durable incident command p50, signing off', 'durable incident command p50, signing on',
                     'durable incident command p99, signing off', 'durable incident command p99, signing on')
])
def cell(bytes_, mode, q):
    return lambda j: next((f"{c[q]} ms" for c in j['detail']['cells'] if c['bytes'] == bytes_ and c['mode'] == mode), '')
table('disk-sync', [
    (f"{b} B {m} p{q[1:]}", cell(b, m, q))
    for m in ('overwrite', 'append') for b in (300, 4096, 8192, 16384, 40960) for q in ('p50', 'p99')
])
table('stall', [
    ('retention sweep: longest event-loop stall', lambda j: stall(j, 'longest event-loop stall')),
    ('longest gap between 5 ms ticks', lambda j: stall(j, 'longest gap between 5 ms ticks')),
    ("CPU time the core's thread ran within it", lambda j: stall(j, 'ran within that gap')),
    ('time it waited for a core within it', lambda j: stall(j, '(schedstat)')),
    ('most CPU between two 5 ms ticks', lambda j: stall(j, 'between two 5 ms ticks')),
    ('sweep duration', lambda j: stall(j, 'duration')),
])
