import re, sys
text = open(sys.argv[1]).read(); tid = sys.argv[2]; a = float(sys.argv[3]); b = float(sys.argv[4])
out = None
for blk in text.split('\n\n'):
    lines = blk.strip().split('\n')
    m = re.match(r'\s*(.+?)\s+(\d+)\s+([\d.]+): sched:sched_switch: prev_comm=(.*) prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+)', lines[0]) if lines and lines[0] else None
    if not m: continue
    t = float(m.group(3))
    if m.group(5) == tid:
        frames = [l.split()[1] for l in lines[1:] if len(l.split()) > 1][2:9]
        out = (t, m.group(6), ' < '.join(frames), m.group(7))
    elif m.group(8) == tid and out:
        if a - 0.005 <= out[0] <= b: print(f'{out[0]:.6f} off {1000*(t-out[0]):6.2f} ms state {out[1]} (next ran: {out[3]}) {out[2]}'[:260])
        out = None
