/**
 * Baseline A: PouchDB replicating the same events, one document each (the event's
 * JSON with `_id` = event id), from a local PouchDB on LevelDB to a PouchDB server
 * on loopback in its own process, with PouchDB's default replication settings.
 * The local database is filled once; each run replicates it to a fresh server,
 * timed from `replicate()` until it resolves.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { progress } from '../report.ts';
import { startChildServer } from './child-server.ts';
import { loadPouchDB } from './pouchdb.ts';

const LOAD_CHUNK = 1_000;

export interface PouchBaseline {
  replicate(run: number): Promise<{ ms: number }>;
  close(): Promise<void>;
}

export async function pouchBaseline(dir: string, events: readonly EventEnvelope[]): Promise<PouchBaseline> {
  const PouchDB = loadPouchDB();
  const local = new PouchDB(join(dir, 'pouch-local'));
  for (let i = 0; i < events.length; i += LOAD_CHUNK) {
    const docs = events.slice(i, i + LOAD_CHUNK).map((e) => ({ _id: e.id, ...e }));
    const results = await local.bulkDocs(docs);
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(`PouchDB refused a document: ${failed.error}`);
  }
  progress('PouchDB local documents', events.length, events.length);

  return {
    async replicate(run) {
      const serverDir = join(dir, `pouch-server-${run}`);
      mkdirSync(serverDir, { recursive: true });
      const server = await startChildServer(new URL('./pouchdb-server.ts', import.meta.url), [serverDir], {
        cwd: serverDir,
      });
      try {
        const start = performance.now();
        const replication = PouchDB.replicate(local, `${server.url}/events`);
        replication.on('change', (info) => progress('PouchDB replication', info.docs_written, events.length));
        const result = await replication;
        const ms = performance.now() - start;
        if (!result.ok || result.docs_written !== events.length || result.doc_write_failures > 0)
          throw new Error(`PouchDB replication incomplete: ${JSON.stringify(result)}`);
        return { ms };
      } finally {
        await server.kill();
      }
    },
    close: () => local.close(),
  };
}
