#!/usr/bin/env python3
"""usage: survivors.py <profile.json> [top]: the sampling heap profile survivors-preload.mjs wrote,
summed by allocation site (function, file:line) and by the site with its caller, largest first.
Sizes are V8's estimates from its samples (sampling interval 16 KB)."""
import json, sys, collections
p = json.load(open(sys.argv[1])); top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
site = collections.Counter(); pair = collections.Counter(); total = 0
def short(cf):
    url = cf['url'].split('/')[-2:] if cf['url'] else ['']
    return f"{cf['functionName'] or '(anonymous)'} {'/'.join(url)}:{cf['lineNumber'] + 1}"
def walk(node, parent):
    global total
    me = short(node['callFrame'])
    s = node.get('selfSize', 0)
    if s:
        site[me] += s; pair[f'{me}  <-  {parent}'] += s; total += s
    for c in node.get('children', []): walk(c, me)
walk(p['head'], '')
print(f'{sys.argv[1]}: {total/1e6:.1f} MB sampled that outlived a scavenge (promoted, or young and alive at the end)')
print('\n## by site')
for k, v in site.most_common(top): print(f'{v/1e6:7.2f} MB  {k}')
print('\n## by site and caller')
for k, v in pair.most_common(top): print(f'{v/1e6:7.2f} MB  {k}')
