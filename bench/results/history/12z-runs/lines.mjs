// node lines.mjs <file.cpuprofile> <url-suffix> [from-line to-line]: self samples by source line (positionTicks)
// of the functions in <url-suffix>, as ms (the profile's mean sample interval), largest first.
import { readFileSync } from 'node:fs';
const [file, suffix, from, to] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const ms = (p.endTime - p.startTime) / 1000 / p.samples.length;
const by = new Map();
for (const n of p.nodes) {
  if (!n.callFrame.url.endsWith(suffix) || !n.positionTicks) continue;
  for (const t of n.positionTicks) {
    if (from && (t.line < +from || t.line > +to)) continue;
    const k = `${n.callFrame.functionName || '(anonymous)'}:${t.line}`;
    by.set(k, (by.get(k) ?? 0) + t.ticks);
  }
}
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v * ms).toFixed(1).padStart(8)} ms  ${k}`);
