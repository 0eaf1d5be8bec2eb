/**
 * A long pull from the tracker is a stream of received batches, like a peer's catch-up (issue
 * 12r/12s): past the WAL's high-water mark its next commit waits, off the thread, for the
 * checkpoint worker to copy what is left, so SQLite restarts the log instead of its backstop
 * checkpointing inside one of the pull's commits on the console's thread.
 */
import { describe, expect, it, vi } from 'vitest';
import { closeSync } from 'node:fs';
import { BACKSTOP_PAGES, openWalIndex, walFrames } from '../../../src-common/sqlite-checkpointer.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';
import { enrol, enrolmentCode, eventCount, FACILITY, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

const lab = syncLab('guardline-pull-room-');
const UNIT = 'Avdelning B';
const OPTIONS = { unit: UNIT, escalationPolicies: [] };
/** Events to pull: about one and a half times the backstop's worth of WAL frames. */
const EVENTS = 24_000;

describe('a long pull from the tracker', () => {
  it("restarts the WAL as it goes: SQLite's backstop never checkpoints inside one of the pull's commits", async () => {
    const tracker = await lab.startTracker();
    // A console that logged a long outage pushes its backlog to the tracker …
    const a = await lab.syncConsole('a', OPTIONS);
    const deviceId = a.core.store.getMeta('device_id')!;
    const backlog = offlineBacklog({
      count: EVENTS,
      deviceId,
      facility: FACILITY,
      unit: UNIT,
      actor: 'A-a',
      startMs: Date.now() - EVENTS,
    });
    for (let i = 0; i < backlog.events.length; i += 1_000) a.core.store.append(backlog.events.slice(i, i + 1_000));
    await enrol(a, tracker.url, await enrolmentCode(tracker.url));
    await waitForSync(a, (s) => s.pending === 0 && s.state === 'live', "A's backlog drained");

    // … and a console enrolled after it pulls all of it, page after page.
    const b = await lab.syncConsole('b', OPTIONS);
    const store = b.core.store;
    const shm = openWalIndex(b.file)!;
    let most = 0;
    let written = 0;
    let restarts = 0;
    let pulled = 0;
    const append = store.append.bind(store);
    let salt = walFrames(shm)!.salt;
    vi.spyOn(store, 'append').mockImplementation((events, options) => {
      const before = walFrames(shm)!;
      const result = append(events, options);
      const after = walFrames(shm)!;
      // A restart changes the log's salt: by this append's commit (which then wrote all of
      // `after`), or since the last append by the store's own deferred catch-up (round 16z).
      if (after.salt !== salt) restarts += 1;
      salt = after.salt;
      written += after.salt !== before.salt ? after.frames : after.frames - before.frames;
      most = Math.max(most, after.frames);
      if (options?.synced) pulled += 1;
      return result;
    });
    // Once, the store asks for room (as past the high-water mark) while the next page is on its
    // way: that page is not stored until the room is given, though it has arrived.
    const roomInWal = store.roomInWal.bind(store);
    let asked = 0;
    let release = () => {};
    const given = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    vi.spyOn(store, 'roomInWal').mockImplementation(() => {
      const wait = roomInWal();
      if (++asked !== 3) return wait;
      gated = true;
      return Promise.all([wait, given]).then(() => {});
    });
    let arrived = () => {};
    const pageIn = new Promise<void>((resolve) => (arrived = resolve));
    const fetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const response = await fetch(input, init);
      if (!gated || !String(input).includes('/v1/events?after=')) return response;
      gated = false;
      const body = await response.text();
      const page = new Response(body, { status: response.status, headers: response.headers });
      // The client reads the page; it is parsed and handed back to the pull within this turn.
      page.text = () => {
        arrived();
        return Promise.resolve(body);
      };
      return page;
    });
    await enrol(b, tracker.url, await enrolmentCode(tracker.url));
    await pageIn;
    const pulledBefore = pulled;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toBe(pulledBefore);
    release();
    await waitForSync(b, (s) => s.state === 'live' && eventCount(b) >= EVENTS, "B's pull of A's backlog");
    vi.restoreAllMocks();
    closeSync(shm);

    expect(pulled).toBeGreaterThan(pulledBefore);
    expect(eventCount(b)).toBe(eventCount(a));
    // The pull wrote more frames than the backstop …
    expect(written).toBeGreaterThan(BACKSTOP_PAGES);
    // … yet no commit left the WAL at the backstop (where SQLite's hook checkpoints in the
    // commit itself): the log restarted as it went.
    expect(most).toBeLessThan(BACKSTOP_PAGES);
    expect(restarts).toBeGreaterThan(0);
  }, 180_000);
});
