import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { incidentProjector } from '../../../src-main/core/incidents/projection.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

/** Run the writer child and SIGKILL it right after it acknowledged `killAfter` incidents. */
async function writeThenKill(dataFile: string, killAfter: number): Promise<string[]> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/writer.ts'), dataFile, '100000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: string[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  for await (const line of createInterface({ input: child.stdout })) {
    acked.push(line.slice(4));
    if (acked.length === killAfter) {
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return acked;
}

describe('durability of acknowledged incidents', () => {
  it('keeps every incident acknowledged before kill -9, with a valid chain and an intact file', async () => {
    const dataFile = join(dir.path, 'crash.sqlite');
    const rounds = [37, 250, 3];
    const acked: string[] = [];
    for (const killAfter of rounds) acked.push(...(await writeThenKill(dataFile, killAfter)));

    const raw = new Database(dataFile, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = openEventStore(dataFile);
    store.registerProjector(incidentProjector);
    const ids = new Set((store.db.prepare('SELECT id FROM incidents').all() as { id: string }[]).map((r) => r.id));
    const missing = acked.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    const report = store.verifyChain();
    expect(report).toMatchObject({ ok: true, firstBroken: null });
    expect(report.checked).toBeGreaterThanOrEqual(acked.length);
    // Every stored event has its projection: nothing half-written.
    const orphans = store.db
      .prepare(
        `SELECT count(*) AS n FROM events e
          WHERE e.type LIKE 'incident.%' AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.stream_id)`,
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    store.close();
  });
});
