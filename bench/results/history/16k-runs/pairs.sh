#!/bin/bash
# alternating before/after: pairs.sh <after-label> <n-start> <n-end>
B=/tmp/16k-before; A=/work/wt/issue-16k; L=$1
for n in $(seq $2 $3); do
  if [ $((n % 2)) = 1 ]; then /tmp/16k/run.sh $B before profile $n; /tmp/16k/run.sh $A $L profile $n; /tmp/16k/run.sh $A $L store $n; /tmp/16k/run.sh $B before store $n;
  else /tmp/16k/run.sh $A $L profile $n; /tmp/16k/run.sh $B before profile $n; /tmp/16k/run.sh $B before store $n; /tmp/16k/run.sh $A $L store $n; fi
done
cd $A && git checkout -- bench/results README.md docs/performance.md
echo done
