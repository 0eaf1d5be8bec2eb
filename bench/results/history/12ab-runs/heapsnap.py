#!/usr/bin/env python3
"""usage: heapsnap.py <file.heapsnapshot> [top]: what a V8 heap snapshot holds.
1) self size by node type and name (constructor for objects), largest first;
2) an approximate retained size: each node hangs under its parent in a breadth-first tree from
   the root over strong edges (weak edges skipped), and a node's size is its subtree's; the
   nodes with the largest subtrees are printed with their path from the root (edge names).
The breadth-first tree stands in for the dominator tree (cheaper to write); it charges a node
to one of its shortest paths from the root, so shared objects go to the first holder found."""
import json, sys, collections
snap = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
meta = snap['snapshot']['meta']
nf = meta['node_fields']; ef = meta['edge_fields']
ntypes = meta['node_types'][0]; etypes = meta['edge_types'][0]
nodes = snap['nodes']; edges = snap['edges']; strings = snap['strings']
NF = len(nf); EF = len(ef)
i_type = nf.index('type'); i_name = nf.index('name'); i_size = nf.index('self_size'); i_ec = nf.index('edge_count')
e_type = ef.index('type'); e_name = ef.index('name_or_index'); e_to = ef.index('to_node')
n = len(nodes) // NF
first_edge = [0] * (n + 1)
for k in range(n):
    first_edge[k + 1] = first_edge[k] + nodes[k * NF + i_ec] * EF
def name(k):
    t = ntypes[nodes[k * NF + i_type]]
    nm = strings[nodes[k * NF + i_name]]
    if t in ('string', 'concatenated string', 'sliced string'): nm = ''
    return t, nm[:60]
total = 0
by = collections.Counter(); cnt = collections.Counter()
for k in range(n):
    s = nodes[k * NF + i_size]; total += s
    key = name(k); by[key] += s; cnt[key] += 1
print(f'{sys.argv[1]}: {n} nodes, {total/1e6:.1f} MB self size in all')
print('\n## self size by type and name')
for key, s in by.most_common(top):
    print(f'{s/1e6:8.2f} MB {cnt[key]:8d}  {key[0]}: {key[1]}')
# breadth-first tree from the root (node 0)
parent = [-1] * n; pedge = [''] * n
seen = bytearray(n); seen[0] = 1
order = [0]; q = collections.deque([0])
weak = etypes.index('weak'); shortcut = etypes.index('shortcut') if 'shortcut' in etypes else -1
while q:
    k = q.popleft()
    for e in range(first_edge[k], first_edge[k + 1], EF):
        et = edges[e + e_type]
        if et == weak or et == shortcut: continue
        to = edges[e + e_to] // NF
        if seen[to]: continue
        seen[to] = 1; parent[to] = k
        nm = edges[e + e_name]
        pedge[to] = (strings[nm] if etypes[et] in ('context', 'property', 'internal', 'shortcut') else f'[{nm}]')[:40]
        order.append(to); q.append(to)
sub = [0] * n
for k in reversed(order):
    sub[k] += nodes[k * NF + i_size]
    if parent[k] >= 0: sub[parent[k]] += sub[k]
def path(k):
    p = []
    while k > 0 and len(p) < 14:
        t, nm = name(k); p.append(f'{pedge[k]}→{nm or t}'); k = parent[k]
    return ' / '.join(reversed(p))
print('\n## largest breadth-first subtrees (approximate retained size), skipping a node whose child holds ≥ 90 % of it')
cands = sorted(range(1, n), key=lambda k: -sub[k])[:3000]
shown = 0
for k in cands:
    # skip pass-through nodes: a child with almost the whole subtree
    big_child = max((sub[edges[e + e_to] // NF] for e in range(first_edge[k], first_edge[k + 1], EF)
                     if parent[edges[e + e_to] // NF] == k), default=0)
    if big_child >= 0.9 * sub[k]: continue
    print(f'{sub[k]/1e6:8.2f} MB  {path(k)}')
    shown += 1
    if shown >= top: break
