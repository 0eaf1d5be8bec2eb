/**
 * The crash campaign: a child console is killed with SIGKILL at random points, over and
 * over, on the same data files; after every kill the store must hold every acknowledged
 * write, pass SQLite's integrity check, verify its hash chain, and keep outbox and
 * projections consistent. Used by the CI-sized test and by `npm run test:crash`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { seededRandom } from '../../support/fault-proxy.ts';

export type CrashMode = 'incidents' | 'checkpoint' | 'sync';

export interface CrashReport {
  iterations: number;
  byMode: Record<string, number>;
  acknowledged: number;
  lost: string[];
  integrityFailures: string[];
  chainFailures: string[];
  consistencyFailures: string[];
  eventsInLogs: number;
}

const writer = join(import.meta.dirname, 'fixtures/crash-writer.ts');

async function killAtRandom(
  dataFile: string,
  mode: CrashMode,
  acksBeforeKill: number,
  extraDelayMs: number,
  env: NodeJS.ProcessEnv,
) {
  const child = spawn(process.execPath, [writer, dataFile, mode], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const acked: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith('ack ')) continue;
    acked.push(line.slice(4));
    if (acked.length >= acksBeforeKill) {
      // Let the writer run on into its next transaction (or checkpoint, or push) before the kill.
      await new Promise((resolve) => setTimeout(resolve, extraDelayMs));
      child.kill('SIGKILL');
      break;
    }
  }
  const result = await exited;
  if (result.signal !== 'SIGKILL') throw new Error(`writer ended without being killed (${result.code}): ${stderr}`);
  // Acks printed after we stopped reading were committed too; they count only if we saw them.
  return acked;
}

function check(dataFile: string, acked: readonly string[], report: CrashReport, label: string) {
  const raw = new Database(dataFile, { readonly: true });
  const integrity = raw.pragma('integrity_check', { simple: true });
  raw.close();
  if (integrity !== 'ok') report.integrityFailures.push(`${label}: ${String(integrity)}`);

  const store = openEventStore(dataFile);
  try {
    const chain = store.verifyChain();
    if (!chain.ok) report.chainFailures.push(`${label}: ${JSON.stringify(chain.firstBroken)}`);
    const has = store.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM incidents WHERE id = ?');
    for (const id of acked) if (!has.get(id)) report.lost.push(`${label}: ${id}`);
    const db = store.db;
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const unprojected = n(
      `SELECT count(*) AS n FROM events e WHERE e.type = 'incident.created' AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.stream_id)`,
    );
    const halfSynced = n('SELECT count(*) AS n FROM events WHERE (synced_at IS NULL) <> (server_seq IS NULL)');
    const ftsRows = n('SELECT count(*) AS n FROM incidents_fts');
    const incidents = n('SELECT count(*) AS n FROM incidents');
    if (unprojected) report.consistencyFailures.push(`${label}: ${unprojected} created events without a projection`);
    if (halfSynced) report.consistencyFailures.push(`${label}: ${halfSynced} events half-marked synced`);
    if (ftsRows !== incidents)
      report.consistencyFailures.push(`${label}: ${ftsRows} search rows for ${incidents} incidents`);
    report.eventsInLogs = Math.max(report.eventsInLogs, n('SELECT count(*) AS n FROM events'));
  } finally {
    store.close();
  }
}

export async function runCrashCampaign(options: {
  dir: string;
  iterations: number;
  seed: number;
  modes: CrashMode[];
  /** For `sync` mode: env for the writer (the data file must already be enrolled). */
  syncFile?: string;
  onProgress?: (done: number, total: number) => void;
}): Promise<CrashReport> {
  const random = seededRandom(options.seed);
  const report: CrashReport = {
    iterations: 0,
    byMode: {},
    acknowledged: 0,
    lost: [],
    integrityFailures: [],
    chainFailures: [],
    consistencyFailures: [],
    eventsInLogs: 0,
  };
  for (let i = 0; i < options.iterations; i++) {
    const mode = options.modes[i % options.modes.length]!;
    const dataFile = mode === 'sync' && options.syncFile ? options.syncFile : join(options.dir, `crash-${mode}.sqlite`);
    const acksBeforeKill = 1 + Math.floor(random() * 25);
    const extraDelayMs = Math.floor(random() * 8);
    const acked = await killAtRandom(dataFile, mode, acksBeforeKill, extraDelayMs, process.env);
    report.acknowledged += acked.length;
    check(dataFile, acked, report, `#${i} ${mode}`);
    report.iterations += 1;
    report.byMode[mode] = (report.byMode[mode] ?? 0) + 1;
    options.onProgress?.(i + 1, options.iterations);
  }
  return report;
}
