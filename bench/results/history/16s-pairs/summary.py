#!/usr/bin/env python3
"""python3 summary.py <dir>: per run (<n>-<side>.log or .log.gz), the control row's figures the bench printed
and the main isolate's full collections (from --trace-gc-nvp): count, longest pause, heap at it."""
import glob, gzip, os, re, sys
d = sys.argv[1]
for f in sorted(glob.glob(os.path.join(d, '*-*.log')) + glob.glob(os.path.join(d, '*-*.log.gz')), key=lambda p: (int(os.path.basename(p).split('-')[0]), p)):
    text = (gzip.open(f, 'rt', errors='replace') if f.endswith('.gz') else open(f, errors='replace')).read()
    row = lambda name: (re.search(r"│ '?\"?" + re.escape(name) + r".*?│ '([^']*)'", text) or [None, '?'])[1]
    stall = re.search(r"no long job: stall ([\d.]+) ms; longest gap ([\d.]+) ms with ([\d.]+) ms CPU, ([\d.?]+) ms waiting for a core; most CPU between ticks ([\d.]+) ms", text)
    heap = re.search(r"window no long job: .*heap in use (\d+) MiB", text)
    gcs = re.search(r"collections in it: (.*?); the interval", text)
    main, mcs = None, []
    for m in re.finditer(r'\[(\d+):(0x[0-9a-f]+):\d+\]\s+(\d+) ms: pause=([\d.]+) mutator=[\d.]+ gc=(\w+).*?start_object_size=(\d+)', text):
        main = main or m.group(2)
        if m.group(2) == main and m.group(5) == 'mc':
            mcs.append((float(m.group(4)), int(m.group(6)) / 2**20, int(m.group(3))))
    longest = max(mcs) if mcs else (0, 0, 0)
    # V8's deferred release of a finished worker's pooled pages (main isolate, --trace-gc-nvp).
    released = [f"{int(m.group(2))} pages at {m.group(1)} ms" for m in re.finditer(r'\[\d+:' + re.escape(main or 'none') + r':\d+\]\s+(\d+) ms: Removed (\d+) pages from the shared pool', text) if int(m.group(2)) > 0]
    busiest = re.search(r"the interval with the most CPU ([\d.]+)-([\d.]+) ms", text)
    print(f"{os.path.basename(f):14} " + (f"stall {stall[1]} ms, longest gap {stall[2]} ms with {stall[3]} ms CPU ({stall[4]} ms waiting), most CPU between ticks {stall[5]} ms, heap {heap[1] if heap else '?'} MiB, GC in the gap: {gcs[1] if gcs else '?'}" if stall else 'no control row (failed run)') +
          f" | busiest tick interval {busiest[1] + '-' + busiest[2] if busiest else '?'} ms, pooled pages unmapped on the main thread: {', '.join(released) or 'none'}"
          f" | main isolate: {len(mcs)} full collections, longest pause {longest[0]} ms at {longest[1]:.1f} MB ({longest[2]} ms after start)")
