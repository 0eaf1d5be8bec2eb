/**
 * A facility of real console processes for mesh tests: each console is a browser host
 * (`scripts/start-web.ts`, as `npm run start:web` runs it) with its own data directory and
 * its mesh listener on its own loopback address (127.0.0.2, .3, …, port 0), driven through
 * the host's WebSocket API (the typed API the renderer uses). Every peer link runs through
 * a fault proxy per ordered pair and every tracker link through one per console, so a test
 * cuts the LAN or the WAN as a broken TCP path. The test reads each console's SQLite file
 * read-only to count and compare what it holds; it never writes to one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startWebHost, type RunningWebHost } from '../../e2e/harness.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { openHostClient, type HostClient } from '../../support/host-api.ts';
import { meshAddressFrom, writeMeshConfig } from '../../support/mesh-config.ts';
import { enrolmentCode, FACILITY } from '../sync/sync-lab.ts';
import { incidentNow } from '../../support/incidents.ts';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import type { SystemInfo } from '../../../src-shared/api.ts';
import type { Incident } from '../../../src-shared/incident.ts';

export const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };

export interface ConsoleProcess {
  name: string;
  host: RunningWebHost;
  api: HostClient;
  dataDir: string;
  config: string;
  /** The mesh listener, e.g. 127.0.0.3:41234. */
  meshAddress: string;
  deviceId: string;
  /** This console's link to the tracker. */
  wan: FaultProxy;
}

export interface Facility {
  consoles: ConsoleProcess[];
  /** `A>B`: the path A dials to reach B. */
  lan: Map<string, FaultProxy>;
  close(): Promise<void>;
}

/**
 * Three (or more) console processes enrolled with the tracker at `trackerPort` (each through
 * its own WAN proxy), each dialling the others through LAN proxies; resolves once every
 * console is connected to every other one. The first console's admin is the facility's
 * roster, signed in on every console.
 */
export async function startFacility(dir: string, trackerUrl: string, names: string[]): Promise<Facility> {
  const trackerPort = Number(new URL(trackerUrl).port);
  mkdirSync(dir, { recursive: true });
  const consoles: ConsoleProcess[] = [];
  const lan = new Map<string, FaultProxy>();
  const close = async () => {
    for (const c of consoles) c.api.close();
    await Promise.all(consoles.map((c) => c.host.stop()));
    for (const p of [...lan.values(), ...consoles.map((c) => c.wan)]) await p.close();
  };
  try {
    const started = await Promise.all(
      names.map(async (name, i) => {
        const dataDir = join(dir, name);
        const config = join(dir, `${name}.config.json`);
        writeMeshConfig(config, { peers: [] });
        const host = await startWebHost({
          dataDir,
          env: {
            GUARDLINE_FACILITY: FACILITY,
            GUARDLINE_UNIT: `Enhet ${name}`,
            GUARDLINE_CONFIG: config,
            GUARDLINE_MESH_LISTEN: `127.0.0.${i + 2}:0`,
          },
        });
        const api = await openHostClient(host.url);
        const wan = await startFaultProxy(trackerPort, 100 + i);
        return { name, host, api, dataDir, config, wan, meshAddress: meshAddressFrom(host.output()), deviceId: '' };
      }),
    );
    consoles.push(...started);
    for (const c of consoles) c.deviceId = (await c.api.call<SystemInfo>('system.info')).deviceId;

    // The first console creates the roster; all enrol; the others sign in once the roster came by sync.
    const [first, ...rest] = consoles as [ConsoleProcess, ...ConsoleProcess[]];
    await first.api.call('auth.bootstrapAdmin', ADMIN);
    for (const c of consoles) {
      await c.api.call('sync.enroll', {
        trackerUrl: c.wan.url,
        code: await enrolmentCode(trackerUrl),
        label: c.name,
        adoptFacility: true,
      });
    }
    for (const c of rest) {
      await until(`${c.name} to receive the roster`, async () => {
        try {
          await c.api.call('auth.signIn', { staffNumber: ADMIN.staffNumber, pin: ADMIN.pin });
          return true;
        } catch {
          return false;
        }
      });
    }

    // Each dials every other console through its own proxy (a cut is a broken TCP path).
    for (const from of consoles) {
      const peers: string[] = [];
      for (const to of consoles) {
        if (from === to) continue;
        const colon = to.meshAddress.lastIndexOf(':');
        const proxy = await startFaultProxy(
          Number(to.meshAddress.slice(colon + 1)),
          lan.size + 1,
          to.meshAddress.slice(0, colon),
        );
        lan.set(`${from.name}>${to.name}`, proxy);
        peers.push(`127.0.0.1:${proxy.port}`);
      }
      writeMeshConfig(from.config, { peers });
    }
    // Trust comes from the device records each console got through the tracker.
    await until('every console connected to every other one', async () =>
      (await Promise.all(consoles.map(connectedPeers))).every((n) => n === consoles.length - 1),
    );
    return { consoles, lan, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Cut (or heal) the LAN between two consoles, both directions, open connections too. */
export function setLan(facility: Facility, a: string, b: string, state: 'up' | 'down'): void {
  for (const key of [`${a}>${b}`, `${b}>${a}`]) {
    const p = facility.lan.get(key);
    if (!p) throw new Error(`no proxy ${key}`);
    p.setLink(state);
    if (state === 'down') p.cutAll();
  }
}

export async function syncStatus(c: ConsoleProcess): Promise<SyncStatus> {
  return c.api.call<SyncStatus>('sync.status');
}

export async function connectedPeers(c: ConsoleProcess): Promise<number> {
  return (await syncStatus(c)).mesh.peers.filter((p) => p.state === 'connected').length;
}

/**
 * Poll a condition (peer connections and replication progress change on socket events in
 * other processes: there is nothing in this one to await). Bounded in time.
 */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 120_000,
  describe: () => Promise<string> | string = () => '',
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}. ${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Read a console's store file read-only (WAL: sees every committed transaction). */
export function readStore<T>(c: ConsoleProcess, read: (db: Database.Database) => T): T {
  const db = new Database(join(c.dataDir, 'guardline.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function eventIds(c: ConsoleProcess): Set<string> {
  return readStore(
    c,
    (db) => new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id)),
  );
}

export interface AuthorEntry {
  rows: number;
  ids: Set<string>;
  seqs: number[];
}

/** Rows per author in a console's log: row count, distinct ids, device sequence numbers. */
export function authorLedger(c: ConsoleProcess): Map<string, AuthorEntry> {
  const rows = readStore(
    c,
    (db) =>
      db.prepare('SELECT id, device_id, device_seq FROM events ORDER BY device_id, device_seq').all() as {
        id: string;
        device_id: string;
        device_seq: number | null;
      }[],
  );
  const out = new Map<string, AuthorEntry>();
  for (const r of rows) {
    const entry = out.get(r.device_id) ?? { rows: 0, ids: new Set<string>(), seqs: [] };
    entry.rows += 1;
    entry.ids.add(r.id);
    if (r.device_seq !== null) entry.seqs.push(r.device_seq);
    out.set(r.device_id, entry);
  }
  return out;
}

export function storedIncidents(c: ConsoleProcess): Incident[] {
  return readStore(c, (db) =>
    (db.prepare('SELECT doc FROM incidents').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Incident),
  );
}

/** The console's tracker credential, to read what the tracker holds through its pull API. */
export function deviceTokenOf(c: ConsoleProcess): string {
  return readStore(
    c,
    (db) => (db.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value,
  );
}

/**
 * `count` events through the console's API, as a guard would log them: incidents created,
 * then annotated and edited in turn, on `chains` incidents at a time (calls overlap on the
 * one socket, as the renderer's do). Technical incidents: no escalation timers add events
 * while a test counts.
 */
export async function logEvents(c: ConsoleProcess, count: number, tag: string, chains = 4): Promise<void> {
  await Promise.all(
    Array.from({ length: chains }, async (_, chain) => {
      let current = '';
      for (let i = chain; i < count; i += chains) {
        const step = Math.floor(i / chains) % 4;
        if (step === 0 || !current) {
          const made = await c.api.call<{ id: string }>(
            'incidents.create',
            incidentNow(`${tag} ${i}`, ADMIN.staffNumber, {
              facility: FACILITY,
              category: 'technical',
              severity: 'medium',
            }),
          );
          current = made.id;
        } else if (step === 1) await c.api.call('incidents.addNote', { id: current, text: `${tag} anteckning ${i}` });
        else await c.api.call('incidents.update', { id: current, patch: { location: `${tag} rum ${i}` } });
      }
    }),
  );
}
