/**
 * The drain writes the next push's body while the previous push is in flight (round 16o).
 * The tracker must see nothing different: every push body is the one the outbox read
 * would give at the moment it is sent, and an answer other than a plain success drops the
 * body written ahead, so the events appended meanwhile go in the very next push.
 *
 * A loopback proxy in front of a real tracker records each push body and, as it arrives,
 * what the console's outbox holds at that moment.
 */
import { describe, expect, it } from 'vitest';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestConsole } from '../../support/consoles.ts';
import { technicalIncident as technical } from '../../support/incidents.ts';
import { pushBody } from '../../../src-main/core/sync/push-body.ts';
import { enrol, enrolmentCode, live, logTechnicalIncidents, ownTitlesAtTracker, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

const lab = syncLab('guardline-sync-prepared-');

const BATCH = 5;

interface SeenPush {
  body: string;
  ids: string[];
  /** The outbox's first batch as it stood when the push arrived. */
  fromStart: string;
  /** The batch after the previous push's last event, as it stood when the push arrived. */
  afterPrevious: string;
  /** The tracker's answer's status, once in. */
  status?: number;
}

/**
 * A proxy to the tracker. Push bodies are read whole, noted with the console's outbox as
 * it stands then, and passed on after `hold` resolves; everything else is piped as is.
 */
async function proxy(
  upstream: string,
  c: () => TestConsole,
  hold: (push: SeenPush) => Promise<void> = async () => {},
): Promise<{ url: string; pushes: SeenPush[] }> {
  const target = new URL(upstream);
  const pushes: SeenPush[] = [];
  const pass = (req: IncomingMessage, res: ServerResponse, body: Buffer | null, seen?: SeenPush) => {
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (seen) seen.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    if (body) out.end(body);
    else req.pipe(out);
  };
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/events') return pass(req, res, null);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const ids = (JSON.parse(text) as { events: { id: string }[] }).events.map((e) => e.id);
      const store = c().core.store;
      const previous = pushes.at(-1);
      const afterSeq = previous ? store.getEvent(previous.ids.at(-1)!)!.seq : 0;
      const seen: SeenPush = {
        body: text,
        ids,
        fromStart: pushBody(store.outboxRows(BATCH)),
        afterPrevious: pushBody(store.outboxRows(BATCH, afterSeq)),
      };
      pushes.push(seen);
      void hold(seen).then(() => pass(req, res, body, seen));
    });
  });
  // Keep-alive connections would hold close() for the agent's idle timeout (about a minute).
  lab.closeBeforeTracker(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pushes };
}

describe('the push written ahead while the previous one is in flight', () => {
  it(
    'sends, push after push, the body the outbox read gives when it is sent, events created meanwhile later',
    { timeout: 120_000 },
    async () => {
      const tracker = await lab.startTracker();
      const c = await lab.syncConsole('plain', { sync: { batchSize: BATCH } });
      const titles = await logTechnicalIncidents(c, 23, 'Händelse');
      let created = 0;
      const { url, pushes } = await proxy(
        tracker.url,
        () => c,
        async () => {
          // While the second and third pushes are in flight, the guard keeps writing.
          if (pushes.length === 2 || pushes.length === 3) {
            titles.push(`Under flygning ${created}`);
            await c.call('incidents.create', technical(`Under flygning ${created++}`));
          }
        },
      );
      await enrol(c, url, await enrolmentCode(tracker.url));
      await waitForSync(c, live, 'the backlog to drain');

      const drained = pushes.filter((p) => p.ids.length > 0);
      expect(drained.length).toBeGreaterThan(4);
      for (const [i, p] of drained.entries()) {
        expect(p.body, `push ${i}`).toBe(i === 0 ? p.fromStart : p.afterPrevious);
      }
      expect(await ownTitlesAtTracker(tracker.url, c)).toEqual(titles);
      expect(new Set(drained.flatMap((p) => p.ids)).size).toBe(drained.flatMap((p) => p.ids).length);
    },
  );

  it(
    'drops the body written ahead when the tracker refuses an event in the middle of the drain',
    { timeout: 120_000 },
    async () => {
      const { tracker } = lab;
      const c = await lab.syncConsole('refused', { sync: { batchSize: BATCH } });
      const titles: string[] = [];
      // The outbox already holds the administrator's events. Placed so that the refused
      // event opens a batch and the batch after it is short (two events).
      const k = c.core.store.outboxCount();
      const foreignAt = 5 * Math.ceil((k + BATCH) / BATCH) + 1;
      const total = foreignAt - 1 + BATCH + 2;
      let foreignId = '';
      for (let i = 0; k + i < total; i++) {
        const foreign = k + i === foreignAt;
        const made = await c.call<{ id: string }>('incidents.create', {
          ...technical(`Händelse ${i}`),
          ...(foreign ? { facility: 'Annan anläggning' } : {}),
        });
        if (foreign) foreignId = c.events('incident.created').find((e) => e.streamId === made.id)!.id;
        else titles.push(`Händelse ${i}`);
      }
      // One outbox event per incident: the batches fall as planned.
      expect(c.core.store.outboxCount()).toBe(total);
      expect(c.core.store.outboxRows(total).findIndex((r) => r.id === foreignId)).toBe(foreignAt);
      let refusedAt = -1;
      const { url, pushes } = await proxy(
        tracker.url,
        () => c,
        async (push) => {
          // The refused push is held until two more incidents are written: the third
          // batch, read ahead during this flight, no longer is the outbox's next batch.
          if (refusedAt === -1 && push.ids.includes(foreignId)) {
            refusedAt = pushes.length - 1;
            for (const n of [0, 1]) {
              titles.push(`Under flygning ${n}`);
              await c.call('incidents.create', technical(`Under flygning ${n}`));
            }
          }
        },
      );
      await enrol(c, url, await enrolmentCode(tracker.url));
      await waitForSync(c, (s) => live(s) && s.quarantined === 1, 'the backlog to drain');

      expect(refusedAt).toBeGreaterThanOrEqual(0);
      const refusedIds = new Set(pushes[refusedAt]!.ids);
      // The push sent after the refused one while it was in flight (16x, two in flight) was
      // refused by the tracker for its order (503, nothing stored): the next read is the one after.
      const after = pushes.slice(refusedAt + 1).filter((p) => p.ids.some((id) => !refusedIds.has(id)));
      expect(after[0]!.status).toBe(503);
      // After the refused push come its narrowed retries (subsets of it), then the next read.
      const nextRead = after.find((p) => p.status !== 503);
      expect(nextRead).toBeDefined();
      expect(nextRead!.body).toBe(nextRead!.fromStart);
      const late = c
        .events('incident.created')
        .filter((e) => e.deviceId === c.core.info().deviceId)
        .filter((e) => (e.payload as { title: string }).title.startsWith('Under flygning'))
        .map((e) => e.id);
      expect(late).toHaveLength(2);
      expect(nextRead!.ids).toEqual(expect.arrayContaining(late));
      expect(c.core.sync.quarantine().map((q) => q.eventId)).toEqual([foreignId]);
      expect(await ownTitlesAtTracker(tracker.url, c)).toEqual(titles);
    },
  );
});
