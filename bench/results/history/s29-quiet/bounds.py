#!/usr/bin/env python3
"""Issue 16's two targets beside the least the stack can do, from one run's bench JSON.

Usage: python3 bench/results/history/s29-quiet/bounds.py [results dir, default bench/results]
Prints each row as the bench wrote it (value, baseline, target, pass) and the ratios the
targets ask for, so every figure quoted from it was computed here, not typed.
"""
import json, sys, os

args = [a for a in sys.argv[1:] if not a.startswith("--")]
d = args[0] if args else "bench/results"

def rows(suite):
    j = json.load(open(os.path.join(d, suite + '.json')))
    return j, {r['metric']: r for r in j['rows']}

store, s = rows('store')
print(f"store: {store['command']} at {store['commit']}, {store['at']}, load {store['loadAverage1m']['start']} -> {store['loadAverage1m']['end']}")
floor = s['floor: 300 B overwrite in a preallocated file + fdatasync p99']['value']
print(f"  floor p99 {floor} ms; the command target (<= 2x floor p99) is {round(2 * floor, 3)} ms")
for m in ['SQLite WAL+FULL one-row commit p99',
          'the least a signed command can cost: Ed25519 signature of an event + SQLite one-row commit p99',
          "a signed event appended to the store's log alone (its indexes; no projection, no validation) p99",
          'durable incident command p99']:
    r = s.get(m)
    if r is None:
        print(f"  (no row: {m})")
        continue
    print(f"  {m}: {r['value']} ms = {round(r['value'] / floor, 2)}x floor p99"
          + (f" -> {'PASS' if r['pass'] else 'MISS'} against <= 2x" if 'pass' in r else ''))

sync, y = rows('sync')
print(f"sync: {sync['command']} at {sync['commit']}, {sync['at']}, load {sync['loadAverage1m']['start']} -> {sync['loadAverage1m']['end']}")
pouch = next(r for m, r in y.items() if m.startswith('PouchDB replication') and 'warm' in m)['value']
pipe = next(r for m, r in y.items() if m.startswith('bare HTTP + SQLite pipe') and 'warm' in m)['value']
drain = next(r for m, r in y.items() if m.startswith('Guardline drain, warm ('))['value']
print(f"  warm: PouchDB {pouch} docs/s, bare pipe {pipe} events/s, Guardline drain {drain} events/s")
print(f"  12x PouchDB = {12 * pouch} events/s = {round(12 * pouch / pipe, 2)}x the bare pipe; 0.6x the bare pipe = {round(0.6 * pipe)} events/s")
print(f"  the drain: {round(drain / pouch, 2)}x PouchDB, {round(drain / pipe, 2)}x the bare pipe")

# With --history: SQLite's one-row commit p99 over the floor's p99 in every full store run kept.
if '--history' in sys.argv:
    import glob
    print('one-row commit p99 / floor p99, full store runs kept in bench/results/history:')
    for f in sorted(glob.glob('bench/results/history/**/store.json', recursive=True)):
        j = json.load(open(f))
        if j.get('quick'):
            continue
        r = {x['metric']: x['value'] for x in j.get('rows', [])}
        fl = r.get('floor: 300 B overwrite in a preallocated file + fdatasync p99')
        one = r.get('SQLite WAL+FULL one-row commit p99')
        if fl and one:
            print(f"  {f}: {one} / {fl} = {round(one / fl, 2)}x")
