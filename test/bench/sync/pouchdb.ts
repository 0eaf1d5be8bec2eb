/**
 * The slice of PouchDB's CommonJS API the baseline uses, typed here because the
 * packages ship no types. Loaded with `createRequire` so the bench stays ESM.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';

export interface PouchDoc {
  _id: string;
  [field: string]: unknown;
}

export interface PouchDatabase {
  bulkDocs(docs: PouchDoc[]): Promise<{ ok?: boolean; error?: string }[]>;
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  close(): Promise<void>;
}

export interface ReplicationResult {
  ok: boolean;
  docs_read: number;
  docs_written: number;
  doc_write_failures: number;
}

export interface PouchConstructor {
  new (name: string, options?: Record<string, unknown>): PouchDatabase;
  defaults(options: Record<string, unknown>): PouchConstructor;
  plugin(plugin: unknown): PouchConstructor;
  replicate(
    source: PouchDatabase | string,
    target: PouchDatabase | string,
    options?: Record<string, unknown>,
  ): Promise<ReplicationResult> & {
    on(event: 'change', listener: (info: { docs_written: number }) => void): unknown;
  };
}

const require = createRequire(import.meta.url);

export function loadPouchDB(): PouchConstructor {
  return require('pouchdb') as PouchConstructor;
}

export interface ExpressPouchApp {
  listen(port: number, host: string, ready: () => void): Server;
}

export function loadExpressPouchDB(): (pouch: PouchConstructor, options: Record<string, unknown>) => ExpressPouchApp {
  return require('express-pouchdb') as (pouch: PouchConstructor, options: Record<string, unknown>) => ExpressPouchApp;
}
