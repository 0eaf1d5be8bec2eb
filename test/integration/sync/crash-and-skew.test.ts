import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { openTestConsole } from '../../support/consoles.ts';
import { technicalIncident as technical } from '../../support/incidents.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import {
  consoleIncidents,
  deliveryCount,
  deviceToken,
  enrol,
  enrolmentCode,
  eventCount,
  live,
  ownTitlesAtTracker,
  syncConsole,
  trackerEvents,
  trackerProjectionHash,
  waitForSync,
} from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

// All consoles here share one facility on one tracker, so each also pulls the others' events.
const lab = syncLab('guardline-sync-crash-');

describe('sync after a crash and with a wrong clock', () => {
  it(
    'loses and duplicates nothing when the console is killed -9 in the middle of a push',
    { timeout: 120_000 },
    async () => {
      const tracker = await lab.startTracker();
      const file = join(lab.dir, 'crashing.sqlite');
      // Closed here, before its file is handed to the child: not the lab's to close.
      const before = await syncConsole(lab.dir, 'crashing');
      for (let i = 0; i < 1_500; i++) await before.call('incidents.create', technical(`Före krasch ${i}`));
      await before.call('sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url) });
      const ownEvents = before.events().map((e) => e.id);
      await before.close();

      const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/sync-child.ts'), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
      let killedAt: SyncStatus | null = null;
      for await (const line of createInterface({ input: child.stdout })) {
        const status = JSON.parse(line) as SyncStatus;
        if (status.state === 'pushing' && (status.progress?.done ?? 0) >= 300) {
          child.kill('SIGKILL');
          killedAt = status;
          break;
        }
      }
      expect(await exited).toBe('SIGKILL');
      expect(killedAt!.pending).toBeGreaterThan(0);

      const after = lab.keep(openTestConsole({ file, sync: { start: true, backoffBaseMs: 20, backoffCapMs: 200 } }));
      await waitForSync(after, live, 'the restarted console to finish its drain');

      const held = await trackerEvents(tracker.url, deviceToken(after));
      const ids = held.map((e) => e.id);
      expect(ids.sort()).toEqual([...ownEvents].sort()); // each once: a second copy would lengthen the list
      const d = deliveryCount(after.core.store, after.core.info().deviceId, held);
      expect({ missing: d.missing, extra: d.extra, changed: d.payloadMismatches }).toEqual({
        missing: [],
        extra: [],
        changed: [],
      });
      expect(await projectionHash(consoleIncidents(after))).toBe(await trackerProjectionHash(held));
    },
  );

  it(
    'converges when one console runs an hour fast and another an hour slow, and flags the drift',
    { timeout: 120_000 },
    async () => {
      const normal = await lab.syncConsole('normal');
      const fast = await lab.syncConsole('fast', { wallClock: () => Date.now() + 3_600_000 });
      const slow = await lab.syncConsole('slow', { wallClock: () => Date.now() - 3_600_000 });
      const shared = await normal.call<{ id: string }>('incidents.create', technical('Delad händelse'));
      const { url } = lab.tracker;
      for (const c of [normal, fast, slow]) await enrol(c, url, await enrolmentCode(url));
      const all = () => eventCount(normal);
      await Promise.all(
        [fast, slow].map((c) =>
          waitForSync(c, (s) => live(s) && eventCount(c) >= all(), 'the shared incident to arrive'),
        ),
      );

      // The slow console edits last in real time, but its wall clock is an hour behind:
      // the HLC still orders its edit after the ones it has seen.
      await fast.call('incidents.update', { id: shared.id, patch: { title: 'Snabb klocka' } });
      await waitForSync(
        slow,
        (s) => live(s) && consoleIncidents(slow).some((i) => i.title === 'Snabb klocka'),
        'the fast edit to reach the slow console',
      );
      await slow.call('incidents.update', { id: shared.id, patch: { title: 'Långsam klocka, senast' } });
      await normal.call('incidents.addNote', { id: shared.id, text: 'från den normala' });

      const total = () => Math.max(...[normal, fast, slow].map(eventCount));
      for (const c of [normal, fast, slow]) {
        await waitForSync(
          c,
          (s) =>
            live(s) &&
            eventCount(c) === total() &&
            consoleIncidents(c).find((i) => i.id === shared.id)?.title === 'Långsam klocka, senast',
          'convergence',
        );
      }
      const hashes = await Promise.all([normal, fast, slow].map((c) => projectionHash(consoleIncidents(c))));
      expect(new Set(hashes).size).toBe(1);

      expect(fast.core.sync.status()).toMatchObject({ driftFlagged: true });
      expect(fast.core.sync.status().driftMs).toBeLessThan(-3_500_000);
      expect(slow.core.sync.status()).toMatchObject({ driftFlagged: true });
      expect(slow.core.sync.status().driftMs).toBeGreaterThan(3_500_000);
      expect(normal.core.sync.status()).toMatchObject({ driftFlagged: false });
    },
  );

  it('quarantines an event the tracker refuses, keeps it, and delivers the rest', { timeout: 60_000 }, async () => {
    const { url } = lab.tracker;
    const c = await lab.syncConsole('quarantine');
    await c.call('incidents.create', technical('Före'));
    const foreign = await c.call<{ id: string }>('incidents.create', {
      ...technical('Fel anläggning'),
      facility: 'Annan anläggning',
    });
    await c.call('incidents.create', technical('Efter'));
    await enrol(c, url, await enrolmentCode(url));
    const status = await waitForSync(c, (s) => live(s) && s.quarantined === 1, 'the bad event to be quarantined');
    expect(status.pending).toBe(0);

    const [q] = c.core.sync.quarantine();
    expect(q).toMatchObject({
      streamId: foreign.id,
      type: 'incident.created',
      code: 'forbidden',
      field: expect.stringMatching(/payload\.facility$/),
    });
    expect(c.core.store.getEvent(q!.eventId)).not.toBeNull();
    expect(await ownTitlesAtTracker(url, c)).toEqual(['Före', 'Efter']);
    // The engine keeps its pending count without recounting: it must agree with the log.
    await c.call('incidents.create', technical('Senare'));
    expect(c.core.sync.status().pending).toBe(c.core.store.outboxCount());
  });

  it(
    'drains a backlog of many batches in outbox order, each event once, a refused one in the middle quarantined',
    { timeout: 60_000 },
    async () => {
      // Batches of 10: the engine reads each next batch while the previous push is in flight.
      const { url } = lab.tracker;
      const c = await lab.syncConsole('batches', { sync: { batchSize: 10 } });
      const titles: string[] = [];
      for (let i = 0; i < 45; i++) {
        const foreign = i === 23;
        await c.call('incidents.create', {
          ...technical(`Händelse ${i}`),
          ...(foreign ? { facility: 'Annan anläggning' } : {}),
        });
        if (!foreign) titles.push(`Händelse ${i}`);
      }
      await enrol(c, url, await enrolmentCode(url));
      await waitForSync(c, (s) => live(s) && s.quarantined === 1, 'the backlog to drain');

      expect(await ownTitlesAtTracker(url, c)).toEqual(titles);
      expect(c.core.store.outboxCount()).toBe(0);
      expect(c.core.sync.status().pending).toBe(0);
    },
  );
});
