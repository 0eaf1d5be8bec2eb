import { describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../support/fault-proxy.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { technicalIncident } from '../../support/incidents.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import {
  consoleIncidents,
  deliveryCount,
  deviceToken,
  enrol,
  enrolmentCode,
  eventCount,
  trackerEvents,
  trackerProjectionHash,
  waitForSync,
} from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

const lab = syncLab('guardline-sync-');

/** Log `count` events on a console: creates, then edits, notes and status changes of its own incidents. */
async function logOffline(c: TestConsole, count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  let made = 0;
  const creates = Math.ceil(count / 5);
  for (let i = 0; i < creates; i++, made++) {
    const incident = await c.call<{ id: string }>('incidents.create', technicalIncident(`${tag} ${i}`));
    ids.push(incident.id);
  }
  for (let i = 0; made < count; i++, made++) {
    const id = ids[i % ids.length]!;
    const kind = i % 4;
    if (kind === 0) await c.call('incidents.update', { id, patch: { location: `${tag} rum ${i}` } });
    else if (kind === 1) await c.call('incidents.addNote', { id, text: `${tag} anteckning ${i}` });
    else if (kind === 2 && i < ids.length * 4)
      await c
        .call('incidents.setStatus', { id, to: 'acknowledged' })
        .catch(() => c.call('incidents.update', { id, patch: { severity: 'low' } }));
    else await c.call('incidents.update', { id, patch: { severity: i % 2 ? 'critical' : 'medium' } });
  }
  return ids;
}

async function converged(a: TestConsole, b: TestConsole, total: number) {
  const done = (c: TestConsole) => (s: { pending: number; state: string }) =>
    s.pending === 0 && s.state === 'live' && eventCount(c) === total;
  await Promise.all([
    waitForSync(a, done(a), 'console A to converge'),
    waitForSync(b, done(b), 'console B to converge'),
  ]);
}

describe('sync through faults and tracker restarts', () => {
  it(
    'delivers 10,000 events from two consoles exactly once and every picture agrees',
    { timeout: 300_000 },
    async () => {
      let tracker = await lab.startTracker();
      const proxy = await startFaultProxy(Number(new URL(tracker.url).port), 20261125);
      lab.closeBeforeTracker(() => proxy.close());

      const a = await lab.syncConsole('a', { sync: { batchSize: 250 } });
      const b = await lab.syncConsole('b', { sync: { batchSize: 400 } });

      // Phase 1: both consoles log offline (never enrolled yet).
      await logOffline(a, 4_800, 'A');
      await logOffline(b, 4_800, 'B');

      // Connect through a hostile network.
      proxy.setPlan({ refuse: 0.05, drop: 0.05, cut: 0.1, delay: 0.05, delayMs: 50 });
      await enrol(a, proxy.url, await enrolmentCode(tracker.url));
      await enrol(b, proxy.url, await enrolmentCode(tracker.url));

      // Restart the tracker twice while the consoles drain: once with kill -9, once gracefully.
      await waitForSync(a, (s) => (s.progress?.done ?? 0) > 0 || s.pending < 4_900, 'A to start pushing');
      await tracker.kill();
      tracker = await lab.startTracker();
      proxy.setTarget(Number(new URL(tracker.url).port));
      await waitForSync(b, (s) => s.pending < 4_300, 'B to make progress after the first restart');
      tracker.signal('SIGTERM');
      await tracker.exited;
      tracker = await lab.startTracker();
      proxy.setTarget(Number(new URL(tracker.url).port));

      const ownA = eventCount(a);
      const ownB = eventCount(b);
      await converged(a, b, ownA + ownB);

      // Phase 2: the WAN goes down; both edit the SAME incidents with conflicting changes.
      proxy.setLink('down');
      await Promise.all([
        waitForSync(a, (s) => s.state === 'offline' || s.state === 'error', 'A to notice the link is down'),
        waitForSync(b, (s) => s.state === 'offline' || s.state === 'error', 'B to notice the link is down'),
      ]);
      const shared = consoleIncidents(a)
        .slice(0, 100)
        .map((i) => i.id);
      for (const [i, id] of shared.entries()) {
        await a.call('incidents.update', { id, patch: { title: `A vann ${i}`, location: 'A-sidan' } });
        await b.call('incidents.update', { id, patch: { title: `B vann ${i}` } });
        await a.raw('incidents.setStatus', { id, to: 'resolved' });
        await b.raw('incidents.setStatus', { id, to: 'escalated' });
        await b.call('incidents.addNote', { id, text: `B noterar ${i}` });
      }
      const offlineEvents = eventCount(a) - (ownA + ownB) + (eventCount(b) - (ownA + ownB));
      proxy.setLink('up');
      a.core.dispatch('sync.retryNow', {}, { origin: 'test' });
      b.core.dispatch('sync.retryNow', {}, { origin: 'test' });
      const total = ownA + ownB + offlineEvents;
      await converged(a, b, total);

      // The tracker holds each console's acknowledged events exactly once, with the same content…
      const held = await trackerEvents(tracker.url, deviceToken(a));
      for (const c of [a, b]) {
        const d = deliveryCount(c.core.store, c.core.info().deviceId, held);
        expect({ missing: d.missing, extra: d.extra, duplicates: d.duplicates, changed: d.payloadMismatches }).toEqual({
          missing: [],
          extra: [],
          duplicates: [],
          changed: [],
        });
        expect(d.acknowledged).toBe(d.written);
      }
      expect(held.length).toBe(total);
      expect(total).toBeGreaterThanOrEqual(10_000);

      // …and both consoles and the tracker compute the same picture.
      const trackerHash = await trackerProjectionHash(held);
      expect(await projectionHash(consoleIncidents(a))).toBe(trackerHash);
      expect(await projectionHash(consoleIncidents(b))).toBe(trackerHash);

      // The conflicting edits resolved the same deterministic way everywhere, conflicts kept.
      const sample = consoleIncidents(a).find((i) => i.id === shared[0])!;
      expect(sample.conflicts.length + sample.notes.length).toBeGreaterThan(0);
      expect(proxy.stats.cut + proxy.stats.drop + proxy.stats.refuse).toBeGreaterThan(0);
    },
  );
});
