#!/usr/bin/env python3
"""Round 16z: prints the before/after tables of docs/performance.md from the logs and JSON that
pairs.sh wrote here.  python3 table.py <round> [what…]   (what: tail tailoff tailround store profile)"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = sys.argv[1]
whats = sys.argv[2:] or ['tail', 'tailround', 'store', 'profile']
ORDER = ['base-0', 'branch-0', 'branch-1', 'base-1']


def load_line(log):
    lines = open(log).read().splitlines()
    b = re.search(r'load before: (\S+) .* at (\S+) tree \S+ \((\w+)\)', lines[0])
    a = [l for l in lines if l.startswith('load after:')]
    after = a[-1].split()[2] if a else '?'
    return b.group(3), b.group(2), f'{b.group(1)}→{after}'


def table_rows(log, names):
    out = {}
    for line in open(log):
        cells = [c.strip() for c in line.split('│')]
        if len(cells) >= 5 and cells[1] in names:
            out[cells[1]] = (cells[2], cells[3])
    return out


def md(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(r, widths)) + ' |'
    print(fmt(header))
    print('| ' + ' | '.join('-' * w for w in widths) + ' |')
    for r in rows:
        print(fmt(r))
    print()


for what in whats:
    sides = [s for s in ORDER if os.path.exists(f'{HERE}/{what}-{rnd}-{s}.log')]
    if not sides:
        continue
    cols = {s: load_line(f'{HERE}/{what}-{rnd}-{s}.log') for s in sides}
    rows = [['commit'] + [cols[s][0] for s in sides], ['measured at (UTC)'] + [cols[s][1] for s in sides],
            ['load average (1 min) start→end'] + [cols[s][2] for s in sides]]
    if what.startswith('tail'):
        heads, tabs = {}, {}
        names = ['overlapping a worker checkpoint (%)', 'preempted (an involuntary context switch inside, %)',
                 'with a GC pause inside (%)', 'COMMIT mean (ms)', 'process CPU mean (ms)',
                 'with frames written since the command before (%)', 'another commit inside (%)']
        for s in sides:
            log = f'{HERE}/{what}-{rnd}-{s}.log'
            line = next(l for l in open(log) if l.startswith('command-tail '))
            heads[s] = json.loads(line[len('command-tail '):])
            tabs[s] = table_rows(log, names)
        for k in ['wall p50 (ms)', 'wall p99 (ms)', 'wall p99, no checkpoint overlapping (ms)',
                  'wall p99, not preempted (ms)', 'COMMIT p50 (ms)', 'COMMIT p99 (ms)', 'process CPU p50 (ms)',
                  'process CPU p99 (ms)', 'scavenges in the timed loop', 'GC pauses inside commands']:
            rows.append([k] + [heads[s].get(k, '') for s in sides])
        for k in names:
            rows.append([f'{k}: all / above the p99'] + [' / '.join(tabs[s].get(k, ('', ''))) for s in sides])
    else:
        data = {s: json.load(open(f'{HERE}/{what}-{rnd}-{s}.json')) for s in sides}
        metrics = [r['metric'] for r in data[sides[0]]['rows']]
        keep = {
            'store': lambda m: 'upgrade' not in m and 'append to a growing' not in m,
            'profile': lambda m: ('p50' in m or 'p99' in m or 'frames' in m.lower()) and 'after the command' not in m,
        }[what]
        for m in metrics:
            if not keep(m):
                continue
            vals = []
            for s in sides:
                r = next((r for r in data[s]['rows'] if r['metric'] == m), None)
                vals.append('' if r is None else f"{r['value']} {r['unit']}")
            rows.append([m] + vals)
    print(f'{what}, round {rnd}:\n')
    md(['figure'] + [f'{s.split("-")[0]} {s.split("-")[1]}' for s in sides], rows)
