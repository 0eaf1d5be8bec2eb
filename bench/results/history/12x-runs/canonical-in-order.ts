import { canonicalJson } from '../../../../src-shared/canonical-json.ts';
import { offlineBacklog } from '../../../../test/bench/sync/offline-events.ts';
const { events } = offlineBacklog({ count: 20000, deviceId: 'b', facility: 'Märsta', unit: 'Avdelning B', actor: 'A', startMs: 1.79e12, signed: true, escalations: true });
const payloads = events.map((e) => JSON.parse(JSON.stringify(e.payload)));
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
const wf = (t: string) => (t as any).isWellFormed();
function inOrder(value: unknown, depth: number, desc: boolean): boolean {
  switch (typeof value) {
    case 'string': return wf(value);
    case 'number': return Number.isFinite(value);
    case 'boolean': return true;
    case 'object': break;
    default: return false;
  }
  if (value === null) return true;
  if (depth > 256) return false;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!inOrder(value[i], depth + 1, desc)) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  let prev = '';
  let first = true;
  for (const key in value) {
    if (!first && !(prev < key)) return false;
    first = false; prev = key;
    if (INDEX_LIKE.test(key) || key === '__proto__' || !wf(key)) return false;
    let v;
    if (desc) { const d = Object.getOwnPropertyDescriptor(value, key); if (!d || !('value' in d)) return false; v = d.value; }
    else { if (!Object.hasOwn(value, key)) return false; v = (value as any)[key]; }
    if (v === undefined || !inOrder(v, depth + 1, desc)) return false;
  }
  return true;
}
const fast = (desc: boolean) => (v: unknown) => inOrder(v, 0, desc) ? JSON.stringify(v) : canonicalJson(v);
const variants: [string, (v: unknown) => string | undefined][] = [['copy', canonicalJson], ['inOrder', fast(false)], ['inOrder+desc', fast(true)]];
for (const [, f] of variants) for (const p of payloads) if (f(p) !== canonicalJson(p)) throw new Error('differs');
const sorted = payloads.filter((p) => inOrder(p, 0, false)).length;
console.log(`${payloads.length} payloads, ${sorted} already in order`);
const res: Record<string, number[]> = {};
for (let r = 0; r < 15; r++) for (const [name, f] of variants) {
  const u0 = process.threadCpuUsage(); let n = 0;
  for (const p of payloads) n += f(p)!.length;
  const u = process.threadCpuUsage(u0); (res[name] ??= []).push((u.user + u.system) / 1000);
}
for (const [name, ms] of Object.entries(res)) { ms.sort((a, b) => a - b); console.log(`${name}: median ${(ms[7]! * 1000 / payloads.length).toFixed(2)} ms per 1,000 payloads`); }
console.log(`load average (1 min): ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`);
