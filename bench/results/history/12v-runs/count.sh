#!/bin/sh
# Prints, per label file (head, base, fixed, original), runs, failures and the load range.
cd "$(dirname "$0")"
for f in head base fixed original; do
  [ -f $f.txt ] || continue
  runs=$(wc -l < $f.txt); fails=$(grep -vc ' rc=0 ' $f.txt)
  loads=$(sed 's/.*load=\[\([0-9.]*\) .*/\1/' $f.txt | sort -n | sed -n '1p;$p' | paste -sd- -)
  echo "$f: $runs runs, $fails failed, 1-min load $loads"
done
