#!/usr/bin/env python3
"""usage: nvp.py <label.b.out>… : V8's --trace-gc-nvp lines of B (run.sh), summed per isolate
(the main thread's isolate is the one that logged first; the others are workers, the frame
preparer being the busiest). Per isolate: collections by kind (s = scavenge, mc = mark-compact,
ms = minor mark-sweep), main-thread pause, the helpers' parallel/background work named in the
lines, bytes allocated (sum of `allocated`) and promoted to the old generation (sum of `promoted`).
A line seen twice counts once (B's output is captured twice after start-up).
A line without its `[pid:isolate]` prefix is such a second copy (the two copies ran together on
the line before it) and is not counted.
With the bench's log beside (<label>.txt), also per 1,000 events of the cold worker catch-up."""
import re, sys, collections
for path in sys.argv[1:]:
    iso = collections.OrderedDict()
    seen = set()
    for line in open(path, errors='replace'):
        if 'pause=' not in line: continue
        # B's output is captured twice once its host logs (each line appears twice): keep one.
        if line in seen: continue
        seen.add(line)
        m = re.match(r'\[\d+:(0x[0-9a-f]+)', line)
        # A line without its prefix is the second copy of the line before it, whose two copies
        # ran together as `[pid:isolate] t ms: [pid:isolate] t ms: pause=…`: not counted.
        if not m: continue
        key = m.group(1)
        f = dict(kv.split('=', 1) for kv in re.findall(r'(\S+=\S+)', line))
        d = iso.setdefault(key, collections.Counter())
        d['n_' + f.get('gc', '?')] += 1
        d['pause'] += float(f.get('pause', 0))
        for k in ('scavenge.parallel', 'background.scavenge.parallel', 'background.mark', 'background.sweep',
                  'background.evacuate.copy', 'incremental'):
            try: d[k] += float(f.get(k, 0))
            except ValueError: pass
        d['allocatedMB'] += int(f.get('allocated', 0)) / 1e6
        d['promotedMB'] += int(f.get('promoted', 0)) / 1e6
        d['survivedMB'] += int(f.get('new_space_survived', 0)) / 1e6
    events = None
    try:
        t = open(path.replace('.b.out', '.txt')).read()
        m = re.search(r'cold: fresh processes: catch-up of (\d+) events console', t)
        events = int(m.group(1)) if m else None
    except OSError: pass
    print(f'{path}: cold catch-up of {events} events (B\'s whole life; isolates in order of first line)')
    for i, (k, d) in enumerate(iso.items()):
        name = 'main' if i == 0 else ('?' if k == '?' else f'worker{i}')
        kinds = ' '.join(f'{x[2:]}:{d[x]}' for x in sorted(d) if x.startswith('n_'))
        line = (f'  {name:8} {k:16} {kinds:14} pause {d["pause"]:7.1f} ms  scav.par {d["scavenge.parallel"]:6.1f}'
                f'  bg.scav {d["background.scavenge.parallel"]:6.1f}  bg.mark {d["background.mark"]:6.1f}'
                f'  bg.sweep {d["background.sweep"]:5.1f}  allocated {d["allocatedMB"]:6.1f} MB  promoted {d["promotedMB"]:5.1f} MB'
                f'  survived {d["survivedMB"]:5.1f} MB')
        if events and k != '?':
            k1 = 1000 / events
            line += (f'  | per 1,000 ev: pause {d["pause"]*k1:.2f} ms, helpers (scav.par+bg.scav+bg.mark+bg.sweep) '
                     f'{(d["scavenge.parallel"]+d["background.scavenge.parallel"]+d["background.mark"]+d["background.sweep"])*k1:.2f} ms '
                     f'(bg.mark {d["background.mark"]*k1:.2f}), promoted {d["promotedMB"]*k1:.2f} MB, allocated {d["allocatedMB"]*k1:.2f} MB')
        print(line)
