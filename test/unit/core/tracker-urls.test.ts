/** A console may hold several tracker URLs (issue 15): how the list is read and validated. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTrackerClient, trackerInUse, trackerUrls } from '../../../src-main/core/sync/tracker-client.ts';
import { SyncEnrollInput } from '../../../src-shared/sync.ts';
import { openTrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';

describe('tracker URL lists', () => {
  it('splits on spaces and commas and drops trailing slashes', () => {
    expect(trackerUrls('http://t1:8787/ , http://t2:8787  https://t3')).toEqual([
      'http://t1:8787',
      'http://t2:8787',
      'https://t3',
    ]);
  });

  it('accepts one or more http(s) URLs at enrolment and names the field otherwise', () => {
    expect(SyncEnrollInput.safeParse({ trackerUrl: 'http://t1:8787 http://t2:8787', code: 'X' }).success).toBe(true);
    const bad = SyncEnrollInput.safeParse({ trackerUrl: 'http://t1:8787 ftp://t2', code: 'X' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['trackerUrl']);
  });

  it('names the URL in use: the first, then the one that answered when the first did not', async () => {
    // A closed port for the first tracker, a real tracker (SQLite) for the second.
    const dead: Server = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const dir = mkdtempSync(join(tmpdir(), 'guardline-urls-'));
    const store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
    const live = await buildTracker({ db: store, logger: false });
    const livePort = Number(new URL(await live.listen({ port: 0, host: '127.0.0.1' })).port);
    try {
      const list = `http://127.0.0.1:${deadPort} http://127.0.0.1:${livePort}/`;
      expect(trackerInUse(list)).toBe(`http://127.0.0.1:${deadPort}`);
      await createTrackerClient({ baseUrl: list, token: null }).health();
      expect(trackerInUse(list)).toBe(`http://127.0.0.1:${livePort}`);
      expect(trackerInUse('')).toBeNull();
    } finally {
      await live.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
