/**
 * While a push is in flight the drain records the previous push's acks and reads the next
 * batch (rounds 16m, 16o). That work must wait until the push is on its way: fetch writes a
 * request to its socket only some turns of the event loop after it is called, so work started
 * one turn later ran while the tracker, with nothing to read yet, idled (round 16t measured
 * 10.5 ms a push, median, from undici's request:create to its headers being written).
 *
 * A real tracker and console; the test counts the pushes the console handed to fetch and the
 * push bodies undici reports written to the socket (its `undici:request:bodySent` channel), and
 * at every synced mark the drain records, no push may still be waiting to be written.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { expect, it } from 'vitest';
import { enrol, enrolmentCode, live, logTechnicalIncidents, ownTitlesAtTracker, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

const lab = syncLab('guardline-sync-on-the-wire-');

const BATCH = 40;
const INCIDENTS = 230;
const isPush = (method: unknown, path: unknown) => method === 'POST' && String(path).endsWith('/v1/events');

it(
  'records the previous acks and reads the next batch only once the push in flight is on the wire',
  { timeout: 180_000 },
  async () => {
    const tracker = await lab.startTracker();
    const c = await lab.syncConsole('wire', { sync: { batchSize: BATCH } });
    const titles = await logTechnicalIncidents(c, INCIDENTS, 'Händelse');

    let handedToFetch = 0;
    let written = 0;
    const unwrittenAtMarks: number[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      if (isPush(init?.method, input instanceof Request ? input.url : input)) handedToFetch += 1;
      return realFetch(input, init);
    };
    const onBodySent = (message: unknown) => {
      const { request } = message as { request: { method: string; path: string } };
      if (isPush(request.method, request.path)) written += 1;
    };
    subscribe('undici:request:bodySent', onBodySent);
    const store = c.core.store;
    const markSynced = store.markSynced.bind(store);
    store.markSynced = (acks, at) => {
      unwrittenAtMarks.push(handedToFetch - written);
      return markSynced(acks, at);
    };
    try {
      await enrol(c, tracker.url, await enrolmentCode(tracker.url));
      await waitForSync(c, live, 'the backlog to drain');
    } finally {
      globalThis.fetch = realFetch;
      unsubscribe('undici:request:bodySent', onBodySent);
      store.markSynced = markSynced;
    }

    // Several pushes, each recorded while the next was in flight, and none before it was written.
    expect(handedToFetch).toBeGreaterThan(INCIDENTS / BATCH);
    expect(unwrittenAtMarks.length).toBeGreaterThan(INCIDENTS / BATCH);
    expect(unwrittenAtMarks.filter((n) => n !== 0)).toEqual([]);
    // Every event at the tracker once, in the order it was written.
    expect(await ownTitlesAtTracker(tracker.url, c)).toEqual(titles);
  },
);
