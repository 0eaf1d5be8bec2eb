"""Before/after table of two quiet bench runs (JSON folders), as in s27-quiet/beforeafter.py.

Since 16ac the sync and mesh benches time every contender warm and keep the fresh-process
figures as rows of their own ("cold: fresh processes: ..."). Earlier runs were all cold, so a
cold row of the new run is set beside the old run's row of the same figure (OLD_NAME_OF), and
a warm row has no "before".
Usage: python3 beforeafter.py <beforeDir> <afterDir> <labelBefore> <labelAfter>
"""
import json, re, sys

norm = lambda m: re.sub(r' \((median|runs) of \d+: [^)]*\)', '', m).replace(', two in flight', '')

# new cold row (normalised, prefix) -> old row (normalised, prefix)
OLD_NAME_OF = {
    'cold: fresh processes: Guardline drain': 'Guardline drain',
    'cold: fresh processes: bare pipe': 'bare HTTP + SQLite pipe, 1,000 per POST',
    'cold: fresh processes: PouchDB replication': 'PouchDB replication of the same documents',
    'cold: fresh processes: tracker alone': "tracker alone, the pipe's client, 1,000 per POST",
    'cold: fresh processes: catch-up of': 'catch-up of',
    'CPU per 1,000 events cold, with the worker': 'CPU per 1,000 events with the worker',
    'CPU of the catch-up cold, with the worker': 'CPU of the catch-up with the worker',
    'CPU per 1,000 events cold, inline': 'CPU per 1,000 events inline',
    'CPU of the catch-up cold, inline': 'CPU of the catch-up inline',
}

BDIR, ADIR = sys.argv[1], sys.argv[2]


def load(d, suite):
    try:
        return json.load(open(f'{d}/{suite}.json'))
    except Exception:
        return None


pick = {
    'mesh': ['banner painted in B over the LAN, tracker down p95', 'catch-up of', 'CPU per 1,000 events', "the drain's tracker CPU", 'warm-up before'],
    'sync': ['Guardline drain', 'tracker alone', 'paced: tracker ingest p99', 'PouchDB replication', 'bare HTTP + SQLite pipe', 'bare pipe', "drain's tracker CPU", 'warm-up before'],
    'store': ['floor: 300 B overwrite in a preallocated file + fdatasync p50', 'floor: 300 B overwrite in a preallocated file + fdatasync p99', 'SQLite WAL+FULL one-row commit p99', 'durable incident command p50', 'durable incident command p99', 'overlapping a WAL checkpoint', 'grew the WAL'],
    'profile': ['signing on: WAL frames', 'signing on: command p50, synchronous=OFF', 'signing on: command p99, synchronous=OFF'],
    'identity': ['sign (JCS', 'verify (JCS', 'tracker ingest of 20000 signed events'],
    'stall': ['retention sweep archiving 10000 incidents (retention.run): longest event-loop stall', 'console with no long job, 6 s: longest', 'chain check (store.verifyChain): longest event-loop', 'report figures, 1 year × 200 lines (reports.period): longest event-loop'],
    'reports': ['figures, 1 year', 'incident search over 100000 incidents, p95'],
}


def old_key(metric):
    m = norm(metric)
    for new, old in OLD_NAME_OF.items():
        if m.startswith(new):
            return old + m[len(new):] if not new.endswith('of') else old + m[len(new):]
    return m


def fmt(x):
    if x is None:
        return '—'
    v = f"{x['value']} {x.get('unit', '')}".strip()
    if x.get('baseline'):
        v += f" ({x['baseline']['name']}: {x['baseline']['value']})"
    return v


print(f'| suite | figure | before ({sys.argv[3]}) | now ({sys.argv[4]}) | target |')
print('|---|---|---|---|---|')
for s, keys in pick.items():
    b, a = load(BDIR, s), load(ADIR, s)
    if not a:
        continue
    bat = f"{b['at'][11:16]} UTC, {b['loadAverage1m']['start']}→{b['loadAverage1m']['end']}" if b else '—'
    print(f"| {s} | measured at, load (1 min) | {bat} | {a['at'][11:16]} UTC, {a['loadAverage1m']['start']}→{a['loadAverage1m']['end']} | |")
    seen = set()
    for k in keys:
        for r in a['rows']:
            if r['metric'] in seen or not (r['metric'].startswith(k) or k in r['metric']):
                continue
            seen.add(r['metric'])
            want = old_key(r['metric'])
            rb = None
            if b and 'warm' not in r['metric'].split(':')[0] and not r['metric'].startswith('warm'):
                cands = [x for x in b['rows'] if norm(x['metric']) == want] or [
                    x for x in b['rows'] if want and norm(x['metric']).startswith(want)
                ]
                # Two rows of one figure differ by their baseline (PouchDB, bare pipe): match its first word.
                first = lambda x: ((x.get('baseline') or {}).get('name') or '').replace('cold: fresh processes: ', '').split(' ')[:1]
                rb = next((x for x in cands if first(x) == first(r)), cands[0] if cands else None)
            t = r.get('target', '')
            if t and not t.startswith('for comparison'):
                t += ' — ' + ('PASS' if r.get('pass') else 'MISS')
            print(f"| {s} | {r['metric']} | {fmt(rb)} | {fmt(r)} | {t} |")
