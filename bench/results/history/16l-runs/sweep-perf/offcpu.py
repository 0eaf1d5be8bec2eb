"""Off-CPU intervals of one thread from `perf script` of sched_switch with kernel stacks:
each interval from the thread's switch-out (its state and stack) to its next switch-in."""
import re, sys, collections
text = open(sys.argv[1]).read()
tid = sys.argv[2]
start = float(sys.argv[3]) if len(sys.argv) > 3 else 0
blocks = text.split('\n\n')
out = None; res = []
for b in blocks:
    lines = b.strip().split('\n')
    if not lines or not lines[0]: continue
    m = re.match(r'\s*(.+?)\s+(\d+)\s+([\d.]+): sched:sched_switch: prev_comm=.* prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=.* next_pid=(\d+)', lines[0])
    if not m: continue
    t = float(m.group(3)); prev = m.group(4); state = m.group(5); nxt = m.group(6)
    if prev == tid:
        frames = [l.split()[1] for l in lines[1:] if len(l.split()) > 1]
        keep = [f for f in frames if f not in ('__schedule', 'schedule', 'entry_SYSCALL_64_after_hwframe', 'do_syscall_64')]
        out = (t, state, ' < '.join(keep[:9]))
    elif nxt == tid and out:
        if out[0] >= start: res.append(((t - out[0]) * 1000, out[1], out[2], out[0]))
        out = None
agg = collections.defaultdict(lambda: [0, 0.0, 0.0])
for d, s, st, t in res:
    key = (s, st.split(' < ')[0:4].__str__())
    a = agg[key]; a[0] += 1; a[1] += d; a[2] = max(a[2], d)
print('off-CPU by state and kernel stack (count, total ms, max ms):')
for k, v in sorted(agg.items(), key=lambda kv: -kv[1][1])[:14]:
    print(f'  {v[0]:6d} {v[1]:9.1f} {v[2]:8.2f}  {k[0]} {k[1]}')
print('longest off-CPU intervals, not runnable (state S/D):')
for d, s, st, t in sorted([r for r in res if r[1] != 'R' and r[1] != 'R+'], key=lambda r: -r[0])[:15]:
    print(f'  {d:7.2f} ms at {t:.6f} {s} {st}')
