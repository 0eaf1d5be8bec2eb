"""V8's helper threads in a `perf record -g -p <tracker pid>` of a drain, by kind of work.

usage: perf script -i perf.data --comm V8Worker > v8w.txt && python3 v8worker-kinds.py v8w.txt
Each sample's whole stack is searched: TurboFan/Turboshaft compile jobs, major GC marking,
scavenges (young generation), sweeping; anything else by its leaf frame.
"""
import collections
import sys

samples = open(sys.argv[1]).read().split('\n\n')
kinds = collections.Counter()
total = 0
for sample in samples:
    lines = [l.strip() for l in sample.strip().split('\n') if l.strip()]
    if len(lines) < 2:
        continue
    total += 1
    stack = ' '.join(lines[1:])
    if any(k in stack for k in ('compiler::', 'turboshaft', 'OptimizedCompilationJob')):
        kind = 'optimizing compiler (TurboFan)'
    elif 'Scaveng' in stack:
        kind = 'GC: scavenge'
    elif 'Marking' in stack:
        kind = 'GC: marking'
    elif 'Sweep' in stack:
        kind = 'GC: sweep'
    else:
        kind = 'other'
    kinds[kind] += 1
print(f'{total} samples of V8Worker threads')
for kind, n in kinds.most_common():
    print(f'{100 * n / total:5.1f} %  {kind}')
