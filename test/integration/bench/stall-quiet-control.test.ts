import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { incidentCreated } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const script = join(import.meta.dirname, '../../bench/stall-quiet-control.ts');
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/**
 * The stall bench's quiet control runs in a process of its own (issue 16s): V8 frees a finished
 * worker's pooled pages 8 s after it ends, on another thread of the same process, which was the
 * console's "no long job" window. The bench reads its rows back from the file this writes.
 */
describe('the stall bench quiet control, in its own process', () => {
  it('runs the background reader jobs on a real store file and writes one row per job', () => {
    const dir = tempDir('guardline-quiet-control-');
    dirs.push(dir);
    const file = join(dir.path, 'console.sqlite');
    const store = openEventStore(file);
    store.append([incidentCreated(), incidentCreated(), incidentCreated()]);
    store.close();
    const out = join(dir.path, 'quiet.json');
    const run = spawnSync(process.execPath, [script, file, out], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as {
      job: string;
      stallMs: number;
      longestGap: { cpuMs: number };
    }[];
    expect(rows.map((r) => r.job)).toEqual([
      'the background reader starting (a one-row incident list)',
      'chain check',
      'a year of report figures (outage count back)',
    ]);
    for (const r of rows) {
      expect(Number.isFinite(r.stallMs)).toBe(true);
      expect(Number.isFinite(r.longestGap.cpuMs)).toBe(true);
    }
  });

  it('refuses to run without the store file and the output file, naming both', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('<console.sqlite> <out.json>');
  });
});
