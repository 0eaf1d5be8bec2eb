#!/usr/bin/env python3
"""python3 diffs.py: the differences the write-up quotes, from the medians insert-split.txt and
insert-rows.txt printed (us a row), so no figure is typed in."""
import re
def medians(path):
    return {m.group(1): float(m.group(2)) for m in re.finditer(r'median (\S+): \d+ ms, ([\d.]+) us a row', open(path).read())}
s = medians('insert-split.txt')
print('insert-split.txt, us a row:')
print(f"  the call with 17 numbers bound (call-only): {s['call-only']:.2f}, each of the 17: {s['call-only'] / 17:.3f}")
print(f"  binding the row's strings (bind-only - call-only): {s['bind-only'] - s['call-only']:.2f}")
print(f"  writing the table row (no-index - bind-only): {s['no-index'] - s['bind-only']:.2f}")
print(f"  the id's UNIQUE index (no-secondary - no-index): {s['no-secondary'] - s['no-index']:.2f}")
print(f"  the two secondary indexes (full - no-secondary): {s['full'] - s['no-secondary']:.2f}")
r = medians('insert-rows.txt')
print('insert-rows.txt, us a row saved against one statement a row:')
for k in ('k16', 'k32', 'k64', 'k128', 'f16', 'f64', 'f128'):
    print(f"  {k}: {r['row'] - r[k]:.2f}")
