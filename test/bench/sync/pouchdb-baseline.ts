/**
 * Baseline A: PouchDB replicating the same events, one document each (the event's
 * JSON with `_id` = event id), from a local PouchDB on LevelDB to a PouchDB server
 * on loopback in its own process, in batches of 1,000 like Guardline's push (PouchDB's
 * default is 100). Treated like Guardline's console: a template database is filled
 * once and closed; each run copies it, opens the copy and replicates it to a fresh
 * server, timed from `replicate()` until it resolves — the same cold/warm state as
 * Guardline's drain of a fresh copy of its template file.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { PUSH_MAX_EVENTS } from '../../../src-shared/sync-wire.ts';
import { progress } from '../report.ts';
import { startChildServer } from './child-server.ts';
import { loadPouchDB } from './pouchdb.ts';

const LOAD_CHUNK = 1_000;
/** Guardline's push batch, the sync engine's default. */
export const POUCH_BATCH_SIZE = PUSH_MAX_EVENTS;

export interface PouchBaseline {
  replicate(run: number): Promise<{ ms: number }>;
  close(): Promise<void>;
}

export async function pouchBaseline(dir: string, events: readonly EventEnvelope[]): Promise<PouchBaseline> {
  const PouchDB = loadPouchDB();
  const template = join(dir, 'pouch-template');
  const local = new PouchDB(template);
  for (let i = 0; i < events.length; i += LOAD_CHUNK) {
    const docs = events.slice(i, i + LOAD_CHUNK).map((e) => ({ _id: e.id, ...e }));
    const results = await local.bulkDocs(docs);
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(`PouchDB refused a document: ${failed.error}`);
  }
  progress('PouchDB local documents', events.length, events.length);
  await local.close();

  return {
    async replicate(run) {
      const serverDir = join(dir, `pouch-server-${run}`);
      mkdirSync(serverDir, { recursive: true });
      const server = await startChildServer(new URL('./pouchdb-server.ts', import.meta.url), [serverDir], {
        cwd: serverDir,
      });
      const copy = join(dir, `pouch-local-${run}`);
      cpSync(template, copy, { recursive: true });
      const source = new PouchDB(copy);
      try {
        await source.info(); // opened before the clock starts, as Guardline's console is
        const start = performance.now();
        const replication = PouchDB.replicate(source, `${server.url}/events`, { batch_size: POUCH_BATCH_SIZE });
        replication.on('change', (info) => progress('PouchDB replication', info.docs_written, events.length));
        const result = await replication;
        const ms = performance.now() - start;
        if (!result.ok || result.docs_written !== events.length || result.doc_write_failures > 0)
          throw new Error(`PouchDB replication incomplete: ${JSON.stringify(result)}`);
        return { ms };
      } finally {
        await source.close();
        await server.kill();
      }
    },
    close: async () => {},
  };
}
