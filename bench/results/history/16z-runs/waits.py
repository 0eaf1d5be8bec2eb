#!/usr/bin/env python3
"""Round 16z: each roomInWal wait of the WAL stream test (stream.sqlite) in GUARDLINE_CKPT_TRACE logs:
the passes it asked for, the store's own commits inside it (lazyCommit: the deferred catch-up), how
it ended, and for a short one whether the log had restarted (frames at the end below those at the
start) and what came last. Usage: waits.py trace-*.log"""
import json, re, sys
total = short = short_restarted = commits_inside = restarted_waits = passes = 0
for path in sys.argv[1:]:
    wait = None
    for line in open(path):
        if ' stream.sqlite ' not in line: continue
        t, _, msg = line.rstrip('\n').split(' ', 2)
        if msg.startswith('room BEGIN'):
            wait = {'begin': float(t), 'start': int(msg.split()[2].split('/')[0]), 'lazy': [], 'passes': 0, 'flush_end': None}
        elif wait is None: continue
        elif msg.startswith('lazyCommit'): wait['lazy'].append((float(t), msg.split()[1]))
        elif re.match(r'room pass \d+\(0\) POSTED', msg): wait['passes'] += 1
        elif msg.startswith('flush end'): wait['flush_end'] = float(t)
        elif msg.startswith('room END'):
            total += 1
            commits_inside += len(wait['lazy'])
            fr, bf = map(int, msg.split()[2].split('/'))
            is_short = 'short true' in msg
            restarted = fr < wait['start']
            restarted_waits += restarted
            passes += wait['passes']
            if is_short:
                short += 1; short_restarted += restarted
            if is_short or wait['lazy']:
                print(f"{path}: wait at {wait['begin']:.0f} ms from {wait['start']} frames: {wait['passes']} passes asked, "
                      f"store's own commits inside (frames/backfilled after each) {wait['lazy']}, ended {fr}/{bf} after {float(t)-wait['begin']:.1f} ms, "
                      f"short {is_short}, log restarted during the wait {restarted}")
            wait = None
for path in sys.argv[1:]:
    lines = [l.split() for l in open(path) if ' stream.sqlite batch ' in l]
    by_batch = sum(1 for l in lines if int(l[5]) < int(l[3]))
    in_wait = sum(1 for l in lines if l[-1] == 'true)' and int(l[3]) < 5000)
    if lines and by_batch == 0:
        print(f"{path}: the stream's batch commits restarted the log 0 times; it restarted inside {in_wait} waits (the store's own commit)")
print(f"waits {total}, worker passes they asked for {passes}, store's own commits inside them {commits_inside}, waits during which the log restarted {restarted_waits}, short {short}, of which the log had restarted {short_restarted}")
# Every worker pass of the stream's store: how many, how many copied less than the log held
# (a reader's snapshot: PASSIVE stops at its mark), how many of a wait's requests found a pass
# running (dropped: the wait awaits that pass and asks again).
done = partial = dropped = 0
for path in sys.argv[1:]:
    for line in open(path):
        if ' stream.sqlite pass done ' in line:
            r = json.loads(line.split('pass done ', 1)[1].rsplit(' in ', 1)[0])
            done += 1; partial += r['checkpointed'] < r['log']
        elif re.search(r' stream\.sqlite room pass \d+\(0\) DROPPED', line):
            dropped += 1
print(f"worker passes {done}, copying less than the log held {partial}; wait requests that found a pass running {dropped}")
