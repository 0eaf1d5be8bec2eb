"""Samples per worker thread in a `perf script -F tid,ip,sym --comm WorkerThread` dump, and the
share of each thread's samples with SQLite on the stack (the HQ projector's thread is the one
that runs SQLite; the two verification workers never touch the database).

usage: perf script -i perf.data --comm WorkerThread -F tid,ip,sym > wt.txt && python3 worker-thread-samples.py wt.txt
"""
import collections
import sys

counts = collections.Counter()
sqlite = collections.Counter()
for sample in open(sys.argv[1]).read().split('\n\n'):
    lines = [l.strip() for l in sample.strip().split('\n') if l.strip()]
    if len(lines) < 2:
        continue
    tid = lines[0].split()[0]
    counts[tid] += 1
    if any('sqlite3' in l for l in lines[1:]):
        sqlite[tid] += 1
total = sum(counts.values())
for tid, n in counts.most_common():
    print(f'thread {tid}: {n} samples ({100 * n / total:.1f} % of the worker threads), SQLite on the stack in {100 * sqlite[tid] / n:.0f} %')
