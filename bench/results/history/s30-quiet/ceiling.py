#!/usr/bin/env python3
"""What the warm catch-up's CPU per event allows on this machine's cores, against the drain.

python3 bench/results/history/s30-quiet/ceiling.py [mesh.json] [--cores N]

Reads the mesh bench's rows (npm run bench mesh) and prints: the warm catch-up's rate and the
warm drain's; the CPU per 1,000 events of all of B's threads and of A's main thread in that
catch-up (A's other threads are not measured, so the sum is a lower bound of the catch-up's CPU);
the rate that CPU would allow if every core were busy all of the catch-up (an upper bound); and
how much CPU per event would have to go for the catch-up to reach the drain, at that bound and at
the share of the cores the catch-up used.
"""
import json, os, re, sys

args = sys.argv[1:]
cores = os.cpu_count() or 2
if '--cores' in args:
    i = args.index('--cores'); cores = int(args[i + 1]); del args[i:i + 2]
path = args[0] if args else 'bench/results/mesh.json'
data = json.load(open(path))
rows = data['rows']

def row(pattern):
    hits = [r for r in rows if re.search(pattern, r['metric'])]
    if len(hits) != 1:
        sys.exit(f'{path}: {len(hits)} rows match {pattern!r}')
    return hits[0]

warm = row(r'^catch-up of \d+ events console → console over the mesh, warm')
events = int(re.search(r'catch-up of (\d+) events', warm['metric']).group(1))
rate = warm['value']; drain = warm['baseline']['value']
b_all = row(r"^CPU per 1,000 events warm, with the worker: all of B's threads$")['value']
b_main = row(r"^CPU per 1,000 events warm, with the worker: B's main thread$")['value']
a_main_ms = row(r"^CPU of the catch-up warm, with the worker: A's main thread")['value']
a_per_k = a_main_ms / events * 1000
total = b_all + a_per_k
ceiling = cores * 1000 / total * 1000
used = rate * total / 1e6
print(f"{path}: {data.get('at')}, node {data['machine'].get('node')}, {cores} cores")
print(f"  warm catch-up {rate:.0f} events/s, warm drain {drain:.0f} events/s ({rate / drain:.2f}x)")
print(f"  CPU per 1,000 events in the catch-up: all of B {b_all} ms (B's main thread {b_main}), A's main thread {a_per_k:.1f} ms; sum {total:.1f} ms")
print(f"  with all {cores} cores busy the whole catch-up, that CPU allows at most {ceiling:.0f} events/s = {ceiling / drain:.2f}x the drain")
print(f"  the catch-up used {used:.2f} of {cores} cores; B's main thread alone allows at most {1e6 / b_main:.0f} events/s")
need_bound = 1 - cores * 1e6 / drain / total
need_used = 1 - rate / drain
print(f"  to reach the drain the catch-up's CPU per event must fall by {max(0.0, need_bound) * 100:.0f} % with every core busy, by {need_used * 100:.0f} % at the share it used")

# --levers <profile.txt> <diffs.txt>: the schema-sized candidates left (docs/performance.md,
# rounds 12w and 12y) taken as free, an upper bound of what they could save: the incident row's
# rewrite (the `update` and `upsert` calls' inclusive share of B's busy main thread in a
# cpuprofile-top.ts --inclusive table) and the events table's two secondary indexes (their
# microseconds a row in 12y's diffs.txt), off this run's CPU per event.
if '--levers' in sys.argv:
    i = sys.argv.index('--levers')
    profile, diffs = sys.argv[i + 1], sys.argv[i + 2]
    text = open(profile).read()
    inclusive = text.split('## cpuprofile-top.ts --by-caller')[0]
    busy = float(re.search(r'busy (\d+) ms', inclusive).group(1))
    incl = {m.group(1): float(m.group(2)) for m in re.finditer(r"'(update|upsert) src-main/core/incidents/projection\.ts:\d+'\s*│\s*(\d+)", inclusive)}
    share = (incl['update'] + incl['upsert']) / busy
    idx = float(re.search(r'the two secondary indexes \(full - no-secondary\): ([\d.]+)', open(diffs).read()).group(1))
    saved = share * b_main + idx
    after = total - saved
    print(f"  levers ({profile}, {diffs}):")
    print(f"    the incident row's rewrite (update {incl['update']:.0f} + upsert {incl['upsert']:.0f} of {busy:.0f} ms busy = {share * 100:.1f} % of B's main thread) free: {share * b_main:.1f} ms per 1,000")
    print(f"    the events table's two secondary indexes free: {idx:.2f} ms per 1,000")
    print(f"    left: {after:.1f} ms per 1,000; with every core busy at most {cores * 1e6 / after:.0f} events/s = {cores * 1e6 / after / drain:.2f}x the drain; at the share used {rate * total / after:.0f} events/s = {rate * total / after / drain:.2f}x")
