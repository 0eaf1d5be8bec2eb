"""The drain's ceiling if it were bound by CPU alone: two cores' 2,000 ms of CPU a second over
the tracker's and the console's CPU per 1,000 events, per run of a drain-ab.ts log; beside it
the main thread's own bound (1,000 ms a second over its CPU per 1,000 events) and, given the
bare pipe's rate, the CPU per 1,000 events a drain of 0.6x that rate could spend on two cores.

usage: python3 cpu-ceiling.py drain-ab-….txt [bare pipe events/s]
"""
import re
import sys

for line in open(sys.argv[1]):
    m = re.search(r'^pair (\d+) (\w) .*?: (\d+) events/s, tracker CPU ([\d.]+) ms per 1,000 events \(main thread ([\d.]+).*console CPU ([\d.]+) ms .*cores busy [\d.]+ of (\d+)', line)
    if not m:
        continue
    pair, side, rate, tracker, main, console, cores = m.groups()
    both = float(tracker) + float(console)
    print(f'pair {pair} {side}: tracker {tracker} + console {console} = {both:.1f} ms CPU per 1,000 events '
          f'-> at most {int(cores) * 1_000_000 / both:,.0f} events/s on {cores} cores; main thread {main} -> at most '
          f'{1_000_000 / float(main):,.0f} events/s (measured {int(rate):,} at that load)')
if len(sys.argv) > 2:
    target = 0.6 * float(sys.argv[2])
    print(f'0.6x a bare pipe of {float(sys.argv[2]):,.0f} events/s = {target:,.0f} events/s: '
          f'at most {2 * 1_000_000 / target:.1f} ms CPU per 1,000 events, tracker and console together, on 2 cores')
