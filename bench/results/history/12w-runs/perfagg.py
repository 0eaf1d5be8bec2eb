# python3 perfagg.py <perf.data> <must-contain regex> [group regexes...]
# For samples whose stack contains the regex: total, and per group (first group regex found in stack, innermost first) and per leaf.
import subprocess, sys, re, collections
data, must = sys.argv[1], re.compile(sys.argv[2])
groups = [re.compile(g) for g in sys.argv[3:]]
out = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,tid,ip,sym'], capture_output=True, text=True).stdout
total = 0; by_group = collections.Counter(); by_leaf = collections.Counter(); leaf_in_group = collections.defaultdict(collections.Counter)
for block in out.split('\n\n'):
    lines = [l.strip() for l in block.strip().split('\n') if l.strip()]
    if len(lines) < 2: continue
    frames = [l.split(' ', 1)[1] if ' ' in l else l for l in lines[1:]]
    if not any(must.search(f) for f in frames): continue
    total += 1
    leaf = frames[0]
    by_leaf[leaf] += 1
    g = 'other'
    for f in frames:
        hit = next((gr.pattern for gr in groups if gr.search(f)), None)
        if hit: g = hit; break
    by_group[g] += 1
    leaf_in_group[g][leaf] += 1
print('samples', total)
for g, n in by_group.most_common(): 
    print(f'{n:6d} {100*n/total:5.1f}%  {g}')
    for l, m in leaf_in_group[g].most_common(6): print(f'          {m:6d} {l[:110]}')
