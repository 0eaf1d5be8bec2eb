"""python3 stage-split.py <events> <stage log>...: the projector thread's stage CPU (scratch-projector-stage-cpu.diff's
lines) per 1,000 events, one row per tracker/bench process (the last line each process wrote: all its folds but the last)."""
import json, sys
events = int(sys.argv[1])
for path in sys.argv[2:]:
    procs, cur, prev = [], None, None
    for line in open(path):
        if line.startswith('## '):
            if cur: procs.append(cur)
            cur = None; prev = None; continue
        if not line.startswith('{'): continue
        r = json.loads(line)
        if prev is not None and r['runs'] <= prev['runs']: procs.append(cur)
        cur = prev = r
    if cur: procs.append(cur)
    for d in procs:
        per = lambda ms: round(ms / events * 1000, 2)
        tx, up = d.get('transaction', 0), d.get('upserts', 0)
        total = d.get('touched', 0) + d.get('read', 0) + d.get('fold', 0) + tx
        print(f"{path}: rows read {d['rows']} ({round(d['rows'] / events, 2)} per event), hinted {d['hinted']}, folds {d['runs'] - 1} | ms per 1,000 events: "
              f"touched-streams scan {per(d.get('touched', 0))}, read {per(d.get('read', 0))} (statement {per(d.get('readSql', 0))}, "
              f"rows to envelopes incl. JSON.parse {per(d.get('read', 0) - d.get('readSql', 0))}), fold {per(d.get('fold', 0))}, "
              f"upserts {per(up)}, begin/commit/pragmas {per(tx - up)}; all {per(total)}")
