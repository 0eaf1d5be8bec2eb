// Throwaway (16u), run from test/bench/: node test/bench/under.tmp.ts <file.cpuprofile> <frame text> [leaf]
// Samples whose stack holds a frame containing <frame text> (e.g. "incidents.create src-main"),
// each charged to the innermost project (src-*) frame on its stack: where the time under one
// function went, with the total (ms) first.
// samples whose stack holds argv[3]: charged to the innermost project frame (+ its leaf)
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const want = process.argv[3]!; const leafToo = process.argv[4] === 'leaf';
const byId = new Map<number, any>(); const parent = new Map<number, number>();
for (const n of p.nodes) { byId.set(n.id, n); for (const c of n.children ?? []) parent.set(c, n.id); }
const name = (n: any) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/(src-|node_modules\/)/, '$1')}:${n.callFrame.lineNumber + 1}`;
const tally = new Map<string, number>(); let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  let id: number | undefined = p.samples[i];
  const names: string[] = []; const proj: boolean[] = [];
  while (id !== undefined) { const n = byId.get(id); names.push(name(n)); proj.push(/\/src-[a-z]+\//.test(n.callFrame.url)); id = parent.get(id); }
  if (!names.some((x) => x.includes(want))) continue;
  const k = proj.indexOf(true);
  const key = (k >= 0 ? names[k] : '(none)') + (leafToo ? '  <-leaf ' + names[0] : '');
  const d = p.timeDeltas[i] ?? 0;
  tally.set(key, (tally.get(key) ?? 0) + d); total += d;
}
console.log('total ms', (total / 1000).toFixed(1));
for (const [k, v] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000).toFixed(1), k);
