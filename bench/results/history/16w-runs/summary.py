#!/usr/bin/env python3
"""python3 summary.py <dir>...: per stall-bench run (<n>-<tree>-<mode>.stall.json and its .log),
the retention row, the heap the console ran in, and the longest full collection (mark-compact) on
the core's thread in each job's window (perf_hooks gc entries the bench records). Logs may be gzipped."""
import glob, gzip, json, os, re, sys

def short(job):
    return job.split(' (')[0].replace('retention sweep archiving 10000 incidents', 'retention')[:28]

for d in sys.argv[1:]:
    for path in sorted(glob.glob(os.path.join(d, '*.stall.json')), key=lambda p: int(os.path.basename(p).split('-')[0])):
        name = os.path.basename(path)[: -len('.stall.json')]
        j = json.load(open(path))
        det = j['detail']
        stem = path[: -len('.stall.json')]
        log = open(stem + '.log').read() if os.path.exists(stem + '.log') else gzip.open(stem + '.log.gz', 'rt').read()
        seeded = re.search(r'seeded \d+ events in ([\d.]+) s', log)
        heaps = re.findall(r'window (no long job|retention): .*?\(heap in use (\d+) MiB', log)
        ret = det['jobs'][0]['worker']
        g = ret['longestGap']
        print(f"{name}: commit {j['commit']} at {j['at']} load {j['loadAverage1m']['start']}->{j['loadAverage1m']['end']}; "
              f"seed {seeded.group(1) if seeded else '?'} s ({'read from the cache' if det['seedSeconds'] < 10 else 'seeded in this run'}); "
              f"heap at the end of: " + ', '.join(f'{w} {h} MiB' for w, h in heaps))
        print(f"  retention: stall {ret['stallMs']:.1f} ms, latest timer {ret['timerLateMs']:.1f} ms, longest gap {g['gapMs']:.1f} ms "
              f"with {g['cpuMs']:.1f} ms CPU ({(g['waitMs'] or 0):.1f} ms waiting for a core), most CPU between ticks {g['mostCpuMs']:.1f} ms, "
              f"duration {ret['ms']:.0f} ms; collections in the busiest interval: "
              + (', '.join(f"{c['kind']} {c['ms']:.1f} ms" for c in g.get('gcInMostCpu') or []) or 'none'))
        rows = []
        for job in det['jobs']:
            for side in ('worker', 'inThread'):
                m = job.get(side)
                if not m:
                    continue
                mc = [c for c in m['longestGap'].get('gcPauses') or [] if c['kind'] == 'mark-compact']
                big = max(mc, key=lambda c: c['ms']) if mc else None
                if big and big['ms'] >= 50:
                    rows.append(f"{short(job['job'])}{' (in-thread)' if side == 'inThread' else ''}: {big['ms']:.1f} ms "
                                f"(stall {m['stallMs']:.1f} ms, most CPU between ticks {m['longestGap']['mostCpuMs']:.1f} ms)")
        print('  mark-compact >= 50 ms on the core thread, by window: ' + ('; '.join(rows) or 'none'))
