import { openSync, readSync, statSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('wal-trace-');
const core = createConsoleCore({ dataFile: join(dir.path, 'c.sqlite'), host: 'test', appVersion: 'b', facility: 'F', unit: 'U', escalationPolicies: [] });
const r0 = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r0.ok) throw new Error('x');
const wal = join(dir.path, 'c.sqlite-wal');
const hdr = () => { const fd = openSync(wal, 'r'); const b = Buffer.alloc(32); readSync(fd, b, 0, 32, 0); closeSync(fd); return b.readUInt32BE(12); };
let lines: string[] = [];
let grew = 0;
const tg: number[] = []; const tp: number[] = [];
const s1g = (s0: number) => statSync(wal).size > s0;
const pct = (xs: number[], q: number) => { const a = [...xs].sort((x, y) => x - y); return a[Math.floor(a.length * q)]?.toFixed(3); };
for (let i = 0; i < Number(process.env.N ?? 2000); i++) {
  const s0 = statSync(wal).size; const c0 = core.store.checkpoints()!;
  const t0 = performance.now();
  const r = await core.dispatch('incidents.create', incidentInput({ title: `B ${i}` }), { actor: 'bench', origin: 'test' });
  const dt = performance.now() - t0;
  (s1g(s0) ? tg : tp).push(dt);
  if (!r.ok) throw new Error(r.error.message);
  const s1 = statSync(wal).size; const c1 = core.store.checkpoints()!;
  if (s1 > s0) grew++;
  lines.push(`${i} size ${s1} grew ${s1 > s0 ? 1 : 0} ckseq ${hdr()} running ${c1.running} done ${c1.completed}`);
  await new Promise<void>((res) => setImmediate(res));
}
console.log(lines.filter((_, i) => i % 50 === 0).join('\n'));
console.log('grew', grew, 'grew p50', pct(tg, 0.5), 'p90', pct(tg, 0.9), 'in place p50', pct(tp, 0.5), 'p90', pct(tp, 0.9), tg.length, tp.length);
await new Promise((r) => setTimeout(r, 500));
const Database = (await import('better-sqlite3')).default;
const other = new Database(join(dir.path, 'c.sqlite'));
console.log('other passive', other.pragma('wal_checkpoint(PASSIVE)'));
console.log('main passive', core.store.db.pragma('wal_checkpoint(PASSIVE)'));
console.log('main inTx', core.store.db.inTransaction);
const sz = statSync(wal).size;
core.store.db.prepare('CREATE TABLE IF NOT EXISTS zz (v)').run();
console.log('after raw write: ckseq', hdr(), 'grew', statSync(wal).size > sz);
const r2 = await core.dispatch('incidents.create', incidentInput({ title: 'after' }), { actor: 'bench', origin: 'test' });
console.log('after cmd: ckseq', hdr(), r2.ok);
const s3 = statSync(wal).size;
console.log('other passive', other.pragma('wal_checkpoint(PASSIVE)'));
await core.dispatch('incidents.create', incidentInput({ title: 'after2' }), { actor: 'bench', origin: 'test' });
console.log('after cmd2: ckseq', hdr(), statSync(wal).size > s3);


core.close();
