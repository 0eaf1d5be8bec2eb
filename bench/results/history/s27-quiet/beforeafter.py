import json,subprocess,re
norm=lambda m: re.sub(r' \(median of \d+: [^)]*\)','',m).replace(', two in flight','')  # the tracker-alone row says 'two in flight' since 16x
import sys
BDIR,ADIR=sys.argv[1],sys.argv[2]
def load(d,suite):
    try: return json.load(open(f'{d}/{suite}.json'))
    except Exception: return None
pick={
 'mesh':["banner painted in B over the LAN, tracker down p95","catch-up of 21674 events console → console","CPU per 1,000 events with the worker: B's main thread","CPU per 1,000 events with the worker: all of B's threads","CPU per 1,000 events with the worker: B's worker threads","CPU per 1,000 events with the worker: B's V8 helper","CPU of the catch-up with the worker: A's main"],
 'sync':["Guardline drain","tracker alone","paced: tracker ingest p99","PouchDB replication","bare HTTP + SQLite pipe"],
 'store':["floor: 300 B overwrite in a preallocated file + fdatasync p50","floor: 300 B overwrite in a preallocated file + fdatasync p99","SQLite one-row","durable incident command p50","durable incident command p99","grew the WAL","WAL overwritten in place"],
 'profile':["signing on: WAL frames","signing on: command p50, synchronous=OFF","signing on: command p99, synchronous=OFF"],
 'identity':["sign (JCS","verify (JCS"],
 'stall':["retention sweep archiving 10000 incidents (retention.run): longest event-loop stall","console with no long job, 6 s: longest","chain check (store.verifyChain): longest event-loop","report figures, 1 year × 200 lines (reports.period): longest event-loop"],
 'reports':["figures, 1 year","incident search over 100000 incidents, p95"],
}
print('| suite | figure | before (' + sys.argv[3] + ') | now (' + sys.argv[4] + ') | target |')
print('|---|---|---|---|---|')
for s,keys in pick.items():
    b,a=load(BDIR,s),load(ADIR,s)
    print(f"| {s} | measured at, load (1 min) | {b['at'][11:16]} UTC, {b['loadAverage1m']['start']}→{b['loadAverage1m']['end']} | {a['at'][11:16]} UTC, {a['loadAverage1m']['start']}→{a['loadAverage1m']['end']} | |")
    for k in keys:
        ra=[r for r in a['rows'] if r['metric'].startswith(k) or k in r['metric']]
        for r in ra:
            rb=next((x for x in b['rows'] if norm(x['metric'])==norm(r['metric']) and (x.get('baseline') or {}).get('name')==(r.get('baseline') or {}).get('name')),None)
            def fmt(x):
                if x is None: return '—'
                v=f"{x['value']} {x.get('unit','')}"
                if x.get('baseline'): v+=f" ({x['baseline']['name']}: {x['baseline']['value']})"
                return v
            t=r.get('target','')
            if t and not t.startswith('for comparison'): t+=' — '+('PASS' if r.get('pass') else 'MISS')
            if rb and rb.get('target') and rb.get('target')!=r.get('target'): t+=f" (before: {rb['target']})"
            print(f"| {s} | {r['metric']} | {fmt(rb)} | {fmt(r)} | {t} |")
