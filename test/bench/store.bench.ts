/**
 * Durable incident command vs its physical floor. Baseline: append 300 bytes to a
 * file and fdatasync, the least any durable write can cost on this disk. Target
 * (DESIGN.md §9): a committed incident (event + projection + FTS + hash chain) p99
 * within 2x the raw fdatasync p99.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const SAMPLES = 2000;
const WARMUP = 100;

export async function storeBench(): Promise<BenchRow[]> {
  const dir = tempDir('guardline-bench-');
  try {
    // Baseline 1: raw append + fdatasync.
    const fd = openSync(join(dir.path, 'raw.log'), 'a');
    const line = Buffer.alloc(300, 'x');
    const raw: number[] = [];
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const t = performance.now();
      writeSync(fd, line);
      fdatasyncSync(fd);
      if (i >= WARMUP) raw.push(performance.now() - t);
    }
    closeSync(fd);
    progress('raw fdatasync', SAMPLES, SAMPLES);

    // Baseline 2: a one-row SQLite commit with the same pragmas.
    const db = new Database(join(dir.path, 'one-row.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const oneRow: number[] = [];
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const t = performance.now();
      insert.run(line.toString());
      if (i >= WARMUP) oneRow.push(performance.now() - t);
    }
    db.close();
    progress('sqlite one-row commit', SAMPLES, SAMPLES);

    // Guardline: a full incident command through dispatch.
    const core = createConsoleCore({
      dataFile: join(dir.path, 'console.sqlite'),
      host: 'test',
      appVersion: 'bench',
      facility: 'F',
      unit: 'U',
      // The target is the incident command itself; a threat's escalation steps are measured on their own.
      escalationPolicies: [],
    });
    const signedIn = await core.dispatch(
      'auth.bootstrapAdmin',
      { staffNumber: 'BENCH', name: 'Bench', pin: '2468' },
      { origin: 'test' },
    );
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    const command: number[] = [];
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const t = performance.now();
      const r = await core.dispatch('incidents.create', incidentInput({ title: `Bench ${i}` }), {
        actor: 'bench',
        origin: 'test',
      });
      if (!r.ok) throw new Error(r.error.message);
      if (i >= WARMUP) command.push(performance.now() - t);
      progress('incident command', i + 1, SAMPLES + WARMUP);
    }
    core.close();

    const rawP99 = round(percentile(raw, 99));
    const cmdP99 = round(percentile(command, 99));
    return [
      { metric: 'raw 300 B append + fdatasync p50', value: round(percentile(raw, 50)), unit: 'ms' },
      { metric: 'raw 300 B append + fdatasync p99', value: rawP99, unit: 'ms' },
      { metric: 'SQLite WAL+FULL one-row commit p99', value: round(percentile(oneRow, 99)), unit: 'ms' },
      { metric: 'durable incident command p50', value: round(percentile(command, 50)), unit: 'ms' },
      {
        metric: 'durable incident command p99',
        value: cmdP99,
        unit: 'ms',
        baseline: { name: 'raw fdatasync p99', value: rawP99 },
        target: '<= 2x raw fdatasync p99',
        pass: cmdP99 <= 2 * rawP99,
      },
    ];
  } finally {
    dir.cleanup();
  }
}
