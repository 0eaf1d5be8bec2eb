#!/usr/bin/env python3
"""Prints this round's figures from the logs in this folder (python3 summary.py): the sweep
alone per tree (sweep-merges-<archived>.txt: tombstones and segments after the sweep and after
idle, the merge steps' transactions, the searches' counts and digests), the searches' times on
the kept files (search-ab-<archived>.txt), and the stall bench's retention row per run."""
import glob, os, re

here = os.path.dirname(os.path.abspath(__file__))

print('# the sweep alone on a copy of the seed (sweep-merges.ts), runs in order (after/base by turns)')
for p in sorted(glob.glob(os.path.join(here, 'sweep-merges-*.txt'))):
    name = os.path.basename(p)
    tree = load = None
    digests = {}
    run_total = None
    for line in open(p):
        m = re.match(r'# tree (\w+) .*loadavg (\S+)', line)
        if m:
            tree, load = m.group(1), m.group(2)
            continue
        if line.startswith('searches') and run_total:
            print(f'  after the sweep, both kinds of merge step: {run_total[0]} transactions, {run_total[1]} merge statements, '
                  f'CPU in all {round(run_total[2], 2)} ms, most in one transaction {run_total[3]} ms')
        if line.startswith('sweep archived'):
            run_total = [0, 0, 0.0, 0.0]
            n = re.search(r'"archived":(\d+)', line)
            print(f'{name} {tree} (load {load}): archived {n.group(1) if n else "?"}')
        elif line.startswith('index segments'):
            print(f'  {line.strip()}')
        elif 'merge step:' in line:
            m = re.search(r'sweep (full )?merge step: (\d+) transactions; thread CPU p50 \S+ p90 \S+ p99 \S+ max (\S+) ms; '
                          r'WAL frames max (-?\d+); merge statements (\d+) \(most in one transaction (\d+)\); CPU in all (\S+) ms', line)
            if m:
                run_total[0] += int(m.group(2)); run_total[1] += int(m.group(5))
                run_total[2] += float(m.group(7)); run_total[3] = max(run_total[3], float(m.group(3)))
                print(f'  after the sweep, {"full " if m.group(1) else ""}merge-step transactions {m.group(2)}, '
                      f'most CPU in one {m.group(3)} ms, WAL frames max {m.group(4)}, merge statements {m.group(5)} '
                      f'(most in one transaction {m.group(6)}), CPU in all {m.group(7)} ms')
        elif 'sweep slice:' in line:
            m = re.search(r'thread CPU p50 (\S+) p90 \S+ p99 (\S+) max (\S+) ms', line)
            print(f'  slices: CPU p50 {m.group(1)} p99 {m.group(2)} max {m.group(3)} ms')
        elif line.startswith('searches'):
            found = re.findall(r'([^:;]+): (\d+) \((\w+), ([\d.]+) ms\)', line[line.index(':') + 1:])
            print('  searches (rows, digest): ' + '; '.join(f'{q.strip()} {n} {d}' for q, n, d, _ in found))
            digests.setdefault('all', set()).add(tuple((q.strip(), n, d) for q, n, d, _ in found))
    print(f'{name}: distinct search results (counts and rowid digests) over all runs: {len(digests.get("all", []))}')

print('\n# the 8 searches on the files the sweep and idle left (search-ab.ts, median ms; files in turn)')
for p in sorted(glob.glob(os.path.join(here, 'search-ab-*.txt'))):
    for line in open(p):
        if line.startswith('# 20') or 'tombstones' in line or line.startswith('"telefon kamera"') \
                or line.startswith('vaktrum') or line.startswith('larm'):
            print(f'{os.path.basename(p)}: {line.rstrip()}')

print('\n# stall bench, retention row (GUARDLINE_BENCH_STALL_ONLY=retention, seed cached in /tmp/16ae-c1)')
for p in sorted(glob.glob(os.path.join(here, '*-stall.txt')), key=lambda p: int(os.path.basename(p).split('-')[0])):
    text = open(p).read()
    head = re.search(r'loadavg before: (\S+)', text)
    row = re.search(r'\n  retention: (stall [^;]+); longest gap ([^;]+); most CPU between ticks ([\d.]+ ms)', text)
    dur = re.search(r"retention sweep archiving (\d+) incidents \(retention.run\): duration'\s*│ '([^']+)'", text)
    if not row:
        print(f'{os.path.basename(p)}: no retention row (run unfinished)')
        continue
    print(f'{os.path.basename(p)}: load {head.group(1) if head else "?"}; {row.group(1)}; longest gap {row.group(2)}; '
          f'most CPU between ticks {row.group(3)}' + (f'; {dur.group(1)} archived in {dur.group(2)}' if dur else ''))
