#!/usr/bin/env python3
"""Main isolate's GC lines from a `node --trace-gc-nvp` log, between two ms-since-start stamps.

python3 gc-nvp.py <log> [from_ms] [to_ms] [min_pause_ms]
Prints each collection's time, kind, pause, the largest phases and heap sizes (MB).
The main isolate is the first one in the log."""
import gzip, re, sys
log, lo, hi, least = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0, float(sys.argv[3]) if len(sys.argv) > 3 else 1e12, float(sys.argv[4]) if len(sys.argv) > 4 else 0
main = None
for line in (gzip.open(log, 'rt', errors='replace') if log.endswith('.gz') else open(log, errors='replace')):
    m = re.match(r'\[(\d+):(0x[0-9a-f]+):\d+\]\s+(\d+) ms: (pause=.*)', line)
    if not m:
        continue
    main = main or m.group(2)
    if m.group(2) != main:
        continue
    t = float(m.group(3))
    if not lo <= t <= hi:
        continue
    kv = dict(p.split('=', 1) for p in m.group(4).split() if '=' in p)
    pause = float(kv['pause'])
    if pause < least:
        continue
    phases = sorted(((float(v), k) for k, v in kv.items() if k not in ('pause', 'mutator') and re.match(r'^[\d.]+$', v) and '.' in k or k in ('mark', 'sweep', 'evacuate', 'clear', 'compact', 'scavenge', 'finish')) and False or [], reverse=True)
    numeric = {}
    for k, v in kv.items():
        try:
            numeric[k] = float(v.rstrip('%'))
        except ValueError:
            pass
    skip = {'pause', 'mutator', 'start_object_size', 'end_object_size', 'start_memory_size', 'end_memory_size', 'start_holes_size', 'end_holes_size', 'allocated', 'promoted', 'new_space_survived', 'old_gen_allocation_limit', 'global_allocation_limit', 'allocation_throughput', 'new_space_allocation_throughput', 'scavenge_throughput', 'new_space_capacity', 'nodes_died_in_new', 'nodes_copied_in_new', 'nodes_promoted', 'promotion_ratio', 'average_survival_ratio', 'promotion_rate', 'new_space_survive_rate_', 'compaction_speed', 'total_size_before', 'total_size_after', 'holes_size_before', 'holes_size_after', 'semi_space_copy_rate', 'semi_space_promote_rate', 'quarantined_size', 'quarantined_pages', 'reduce_memory', 'interleaved', 'incremental.steps_count', 'pool_local_chunks', 'pool_shared_chunks', 'pool_total_chunks', 'total_size_before', 'compaction_speed', 'incremental_marking_throughput', 'compaction_throughput', 'mark_compact_throughput'}
    top = sorted(((v, k) for k, v in numeric.items() if k not in skip and not k.startswith('background') and not k.endswith('size') and not k.endswith('throughput')), reverse=True)[:8]
    mb = lambda k: round(numeric.get(k, 0) / 2**20, 1)
    print(f"{t:>8.0f} ms {kv.get('gc')} pause {pause} mutator {kv.get('mutator')} | " + ' '.join(f"{k}={v}" for v, k in top) +
          f" | objects {mb('start_object_size') or mb('total_size_before')}->{mb('end_object_size') or mb('total_size_after')} MB promoted {mb('promoted')} MB reduce_memory={kv.get('reduce_memory')}")
