#!/bin/bash
# usage: make-split-tree.sh <commit> <dir>: a git-archive copy of <commit> whose searchProjector.catchUp
# adds each of its two statements' thread CPU (the DELETE of the search rows, the INSERT … SELECT) to
# globalThis.split, which deferred-split.ts prints at its end (over every run in the process, warm-up included).
set -e
rm -rf $2; mkdir -p $2
top=$(cd "$(dirname "$0")" && git rev-parse --show-toplevel)
git -C "$top" archive $1 | tar -x -C $2
ln -s "$top/node_modules" $2/node_modules
python3 - $2/src-main/core/incidents/projection.ts <<'PY'
import sys
p=sys.argv[1]; s=open(p).read()
old="""    const q = statements(db);
    q.deleteSearchOf.run(ids);
    q.indexSearchOf.run(ids);"""
new="""    const q = statements(db);
    const g = globalThis as unknown as { split?: { del: number; ins: number; n: number; calls: number } };
    const split = (g.split ??= { del: 0, ins: 0, n: 0, calls: 0 });
    let t = process.threadCpuUsage();
    q.deleteSearchOf.run(ids);
    let u = process.threadCpuUsage(t);
    split.del += (u.user + u.system) / 1000;
    t = process.threadCpuUsage();
    q.indexSearchOf.run(ids);
    u = process.threadCpuUsage(t);
    split.ins += (u.user + u.system) / 1000;
    split.n += streamIds.length;
    split.calls += 1;"""
assert old in s; open(p,'w').write(s.replace(old,new))
PY
