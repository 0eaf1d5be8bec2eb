"""Counts the core's (main) thread's switch-outs inside SQLite's commit-time checkpoint
(sqlite3WalDefaultHook in the user stack) in `perf script` output of
`perf record -k CLOCK_MONOTONIC -e sched:sched_switch -g -- node sweep.ts ...`, with their
states, and when the first and last happened (seconds, monotonic). Usage: count.py <perf script text>."""
import re, sys, collections
text = open(sys.argv[1]).read()
main = None
n = collections.Counter(); times = []
for b in text.split('\n\n'):
    m = re.match(r'\s*MainThread\s+(\d+)\s+([\d.]+): sched:sched_switch: .*prev_state=(\S+)', b.strip())
    if not m: continue
    if main is None: main = m.group(1)
    if m.group(1) != main: continue
    if 'sqlite3WalDefaultHook' in b:
        n[m.group(3)] += 1; times.append(float(m.group(2)))
print(f'{sys.argv[1]}: main thread {main}: switch-outs inside the commit-time checkpoint: {sum(n.values())} {dict(n)}'
      + (f', from {min(times):.3f} to {max(times):.3f} s' if times else ''))
