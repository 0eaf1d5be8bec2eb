#!/usr/bin/env python3
"""python3 alarm-table.py: the LAN alarm's stages (p50/p95 ms) of alarm-{base,head}-i.txt, with the load at each start."""
import re, glob, os
here = os.path.dirname(os.path.abspath(__file__))
print('| run | load at start | B stored p50 | B stored p95 | alarm pushed p50 | alarm pushed p95 | banner p50 | banner p95 |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for side in ('base', 'head'):
    for f in sorted(glob.glob(os.path.join(here, f'alarm-{side}-*.txt'))):
        t = open(f).read()
        label = os.path.basename(f)[:-4]
        load = re.search(r'\d\d:\d\d:\d\d ([\d.]+)', open(f[:-4] + '.load').read()).group(1)
        vals = []
        for stage in ("B stored it from the mesh", "B's alarm feed pushed it", "banner row in B's DOM"):
            for p in ('p50', 'p95'):
                m = re.search(re.escape(stage) + r"[^│]*" + p + r"[^│]*│\s*'([\d.]+) ms'", t)
                vals.append(m.group(1) if m else '?')
        print(f"| {label} | {load} | " + ' | '.join(vals) + ' |')
