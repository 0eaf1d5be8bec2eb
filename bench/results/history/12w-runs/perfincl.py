# python3 perfincl.py <perf.data> <must regex> [N]: inclusive counts of frames among samples whose stack matches
import subprocess, sys, re, collections
data, must = sys.argv[1], re.compile(sys.argv[2]); N = int(sys.argv[3]) if len(sys.argv) > 3 else 60
out = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,tid,ip,sym'], capture_output=True, text=True).stdout
total = 0; inc = collections.Counter()
for block in out.split('\n\n'):
    lines = [l.strip() for l in block.strip().split('\n') if l.strip()]
    if len(lines) < 2: continue
    frames = [l.split(' ', 1)[1] if ' ' in l else l for l in lines[1:]]
    if not any(must.search(f) for f in frames): continue
    total += 1
    for f in set(re.sub(r'^(JS:)[*^+~\']+', r'\1', f) for f in frames): inc[f] += 1
print('samples', total)
for f, n in inc.most_common(N): print(f'{n:6d} {100*n/total:5.1f}%  {f[:130]}')
