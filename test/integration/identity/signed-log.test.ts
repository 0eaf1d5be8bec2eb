/**
 * A console's identity and its signed log on real files: the key is made once with
 * mode 0600 beside the store, every event the console authors is numbered 1, 2, 3… and
 * signed in its append transaction, and a store from before signing keeps its events
 * untouched (pre-signature) while new ones are signed.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authorHash, createKeyring, verifyAuthoredEvent } from '../../../src-common/trust/index.ts';
import { deviceKeyFileFor, loadDeviceIdentity } from '../../../src-main/core/identity/index.ts';
import { chainHash, GENESIS_HASH, openEventStore } from '../../../src-main/core/store/event-store.ts';
import { openDatabase } from '../../../src-main/core/store/database.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src-main/core/store/migrations.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import { v7 as uuidv7 } from 'uuid';
import { encodeHlc } from '../../../src-shared/hlc.ts';

const open: TestConsole[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  cleanupTestConsoles();
  for (const d of dirs.splice(0)) d.cleanup();
});

function consoleAt(file?: string): TestConsole {
  const c = openTestConsole(file ? { file } : {});
  open.push(c);
  return c;
}

describe('device identity', () => {
  it('creates the key once beside the store, readable by its owner only, and keeps it across restarts', async () => {
    const first = consoleAt();
    const keyFile = deviceKeyFileFor(first.file);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const { publicKey, deviceId } = first.core.identity;
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.core.identity.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await first.close();
    open.splice(0);

    const again = consoleAt(first.file);
    expect(again.core.identity).toMatchObject({ publicKey, deviceId });
  });

  it('refuses to start when the key file is gone after the store signed with it', async () => {
    const c = consoleAt();
    await c.close();
    open.splice(0);
    rmSync(deviceKeyFileFor(c.file));
    expect(() => consoleAt(c.file)).toThrow(/device key .* is missing.*restore the key file/);
    expect(existsSync(deviceKeyFileFor(c.file))).toBe(false);
  });
});

describe('signed log', () => {
  it('numbers and signs every event the console authors, gap-free, and the chain still verifies', async () => {
    const c = consoleAt();
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin Ett', pin: '1234' });
    await c.signIn('A1', '1234');
    for (let i = 0; i < 5; i++) {
      await c.call('incidents.create', {
        facility: 'Märsta',
        unit: 'Avdelning B',
        category: 'threat',
        severity: 'low',
        title: `Hot ${i}`,
        description: '',
        peopleInvolved: [],
        location: '',
        occurredAt: '2026-12-05T03:00:00+01:00',
        reportedBy: 'A1',
      });
    }
    const mine = c.events().filter((e) => e.deviceId === c.core.identity.deviceId);
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.map((e) => e.deviceSeq)).toEqual(mine.map((_, i) => i + 1));
    const keyring = createKeyring([
      { deviceId: c.core.identity.deviceId, publicKey: c.core.identity.publicKey, facility: 'Märsta' },
    ]);
    for (const e of mine) expect(verifyAuthoredEvent(e, keyring, { facility: 'Märsta' })).toMatchObject({ ok: true });
    expect(c.core.store.verifyChain()).toMatchObject({ ok: true, checked: c.events().length });
    // Author chain: each event links to the author hash of the one before; the first has no prev.
    expect(mine[0]!.prev).toBeUndefined();
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.prev).toBe(authorHash(mine[i - 1]!));
    expect(c.core.store.authorHashAt(c.core.identity.deviceId, mine.length)).toBe(authorHash(mine.at(-1)!));
  });

  it('links the first event after the schema-8 upgrade to the last one signed before it, rewriting nothing', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'console.sqlite');
    // A store as the previous release (schema 7) wrote it: numbered and signed, no prev.
    const old = openEventStore(
      file,
      MIGRATIONS.filter((m) => m.version <= 7),
    );
    old.setMeta('device_id', 'ws-old');
    const identity = loadDeviceIdentity({ keyFile: deviceKeyFileFor(file), deviceId: 'ws-old', meta: old });
    old.useSigner(identity);
    old.append(
      [1, 2, 3].map((i) => ({
        id: uuidv7(),
        streamId: 'incident-x',
        type: 'incident.note_added' as const,
        payload: { noteId: `n${i}`, text: `Anteckning ${i}` },
        actor: 'Vakt 1042',
        deviceId: 'ws-old',
        deviceTime: 1_800_000_000_000 + i,
        hlc: encodeHlc({ wallMs: 1_800_000_000_000 + i, counter: 0, node: 'ws-old' }),
      })),
    );
    const oldRows = old.db.prepare('SELECT * FROM events ORDER BY seq').all();
    old.close();
    const deviceId = 'ws-old';

    const c = consoleAt(file);
    expect(c.core.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const kept = c.core.store.db.prepare('SELECT * FROM events ORDER BY seq').all() as Record<string, unknown>[];
    expect(kept.slice(0, oldRows.length).map(({ prev: _p, author_hash: _a, ...r }) => r)).toEqual(oldRows);
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin Ett', pin: '1234' });
    await c.signIn('A1', '1234');
    await c.call('incidents.create', {
      facility: 'Märsta',
      unit: 'Avdelning B',
      category: 'threat',
      severity: 'low',
      title: 'Efter uppgraderingen',
      description: '',
      peopleInvolved: [],
      location: '',
      occurredAt: '2026-12-05T03:00:00+01:00',
      reportedBy: 'A1',
    });
    const mine = c.events().filter((e) => e.deviceId === deviceId);
    const firstNew = mine.findIndex((e) => e.prev !== undefined);
    expect(firstNew).toBeGreaterThan(0);
    expect(mine[firstNew]!.prev).toBe(authorHash(mine[firstNew - 1]!));
    expect(c.core.store.verifyChain()).toMatchObject({ ok: true });
  });

  it('leaves events stored before signing as pre-signature, never rewritten, and signs what comes after', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'console.sqlite');
    // A store as Guardline wrote it before signing (schema 5), its rows written as that version did.
    const { db } = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    db.prepare("INSERT INTO meta (key, value) VALUES ('device_id', 'ws-old')").run();
    const legacy = [1, 2, 3].map((i) => ({
      id: uuidv7(),
      streamId: 'incident-x',
      type: 'incident.note_added' as const,
      payload: { noteId: `n${i}`, text: `Anteckning ${i}` },
      actor: 'Vakt 1042',
      deviceId: 'ws-old',
      deviceTime: 1_800_000_000_000 + i,
      hlc: encodeHlc({ wallMs: 1_800_000_000_000 + i, counter: 0, node: 'ws-old' }),
    }));
    let prevHash = GENESIS_HASH;
    const hashes: string[] = [];
    for (const e of legacy) {
      const hash = chainHash(prevHash, e);
      db.prepare(
        `INSERT INTO events (id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        e.id,
        e.streamId,
        e.type,
        JSON.stringify(e.payload),
        e.actor,
        e.deviceId,
        e.deviceTime,
        e.hlc,
        prevHash,
        hash,
        0,
      );
      hashes.push(hash);
      prevHash = hash;
    }
    db.close();

    const c = consoleAt(file);
    expect(c.core.store.getMeta('identity.pre_signature_through_seq')).toBe('3');
    for (const [i, e] of legacy.entries()) {
      const stored = c.core.store.getEvent(e.id)!;
      expect(stored.sig).toBeUndefined();
      expect(stored.deviceSeq).toBeUndefined();
      expect(stored.hash).toBe(hashes[i]);
    }
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin Ett', pin: '1234' });
    const signed = c.events().filter((e) => e.sig !== undefined);
    expect(signed.length).toBeGreaterThan(0);
    expect(signed[0]!.deviceSeq).toBe(1);
    expect(c.core.store.verifyChain()).toMatchObject({ ok: true });
  });
});
