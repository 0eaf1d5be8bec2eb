#!/bin/bash
# Round 12ab's later runs, one after another: wy96 pairs (started by hand before), then four more
# semimin64 pairs on the same tree.
here=$(cd "$(dirname "$0")" && pwd)
cd $here
./flagpairs.sh 3 6 /tmp/12ab-h semimin64 "" "--min-semi-space-size=64 --max-semi-space-size=64" >> semimin64-pairs.out 2>&1
# then three pairs of /tmp/12ab-m500 (MESH_MERGE_EVENTS and MESH_MERGE_FIRST 500) against /tmp/12ab-h
./pairs.sh 1 3 /tmp/12ab-h /tmp/12ab-m500 mbase m500 > m500-pairs.out 2>&1
