/**
 * Baseline A: PouchDB replicating the same events, one document each (the event's
 * JSON with `_id` = event id), from a local PouchDB on LevelDB to a PouchDB server
 * on loopback in its own process, in batches of 1,000 like Guardline's push (PouchDB's
 * default is 100). Treated like Guardline's console: a template database is filled
 * once and closed; each run copies it, opens the copy and replicates it to a fresh
 * server, timed from `replicate()` until it resolves — the same cold/warm state as
 * Guardline's drain of a fresh copy of its template file.
 *
 * `replicateWarmCold` (round 16ac): one server process takes a warm-up first (another
 * device's events, replicated from their own template into the same target database), then
 * the measured replication, as the tracker does in the drain (guardline-drain.ts
 * `guardlineDrainWarmCold`): the first is the cold figure. The server's `doc_count` after each
 * says what it stored.
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
  /** Needs `warmUp` events given to `pouchBaseline`; `stored`: the server's doc_count gained by each. */
  replicateWarmCold(
    run: number,
  ): Promise<{ cold: { ms: number; stored: number }; warm: { ms: number; stored: number } }>;
  close(): Promise<void>;
}

export async function pouchBaseline(
  dir: string,
  events: readonly EventEnvelope[],
  warmUpEvents: readonly EventEnvelope[] = [],
): Promise<PouchBaseline> {
  const PouchDB = loadPouchDB();
  const fill = async (name: string, what: readonly EventEnvelope[]) => {
    const template = join(dir, name);
    const local = new PouchDB(template);
    for (let i = 0; i < what.length; i += LOAD_CHUNK) {
      const docs = what.slice(i, i + LOAD_CHUNK).map((e) => ({ _id: e.id, ...e }));
      const results = await local.bulkDocs(docs);
      const failed = results.find((r) => r.error);
      if (failed) throw new Error(`PouchDB refused a document: ${failed.error}`);
    }
    progress(`PouchDB local documents (${name})`, what.length, what.length);
    await local.close();
    return template;
  };
  const template = await fill('pouch-template', events);
  const warmUpTemplate = warmUpEvents.length > 0 ? await fill('pouch-template-warm-up', warmUpEvents) : null;

  const startServer = async (run: number) => {
    const serverDir = join(dir, `pouch-server-${run}`);
    mkdirSync(serverDir, { recursive: true });
    return startChildServer(new URL('./pouchdb-server.ts', import.meta.url), [serverDir], { cwd: serverDir });
  };
  /** Replicates a fresh copy of `from` into the server's `events` database, timed. */
  const replicateInto = async (serverUrl: string, from: string, copy: string, count: number) => {
    cpSync(from, copy, { recursive: true });
    const source = new PouchDB(copy);
    try {
      await source.info(); // opened before the clock starts, as Guardline's console is
      const start = performance.now();
      const replication = PouchDB.replicate(source, `${serverUrl}/events`, { batch_size: POUCH_BATCH_SIZE });
      replication.on('change', (info) => progress('PouchDB replication', info.docs_written, count));
      const result = await replication;
      const ms = performance.now() - start;
      if (!result.ok || result.docs_written !== count || result.doc_write_failures > 0)
        throw new Error(`PouchDB replication incomplete: ${JSON.stringify(result)}`);
      return { ms };
    } finally {
      await source.close();
    }
  };
  /** The server's own count of documents in the target database. */
  const docCount = async (serverUrl: string) => {
    const response = await fetch(`${serverUrl}/events`);
    if (response.status !== 200) throw new Error(`PouchDB server: ${response.status}`);
    return ((await response.json()) as { doc_count: number }).doc_count;
  };

  return {
    async replicate(run) {
      const server = await startServer(run);
      try {
        return await replicateInto(server.url, template, join(dir, `pouch-local-${run}`), events.length);
      } finally {
        await server.kill();
      }
    },
    async replicateWarmCold(run) {
      if (!warmUpTemplate) throw new Error('pouchBaseline was given no warm-up events');
      const server = await startServer(run);
      try {
        const cold = await replicateInto(
          server.url,
          warmUpTemplate,
          join(dir, `pouch-local-${run}-warm-up`),
          warmUpEvents.length,
        );
        const afterWarmUp = await docCount(server.url);
        const warm = await replicateInto(server.url, template, join(dir, `pouch-local-${run}`), events.length);
        const afterWarm = await docCount(server.url);
        return { cold: { ...cold, stored: afterWarmUp }, warm: { ...warm, stored: afterWarm - afterWarmUp } };
      } finally {
        await server.kill();
      }
    },
    close: async () => {},
  };
}
