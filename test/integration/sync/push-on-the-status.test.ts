/**
 * The drain sends its next push without waiting for the previous one's answer: two pushes in
 * flight, the tracker keeping their order (round 16x, src-tracker/events/push-order.ts). Round
 * 16v sent it on the answer's status, before reading the answer's body; before that, the next
 * push waited for all of the answer, and the tracker idled meanwhile.
 *
 * A real tracker and console over HTTP, with a proxy between them that forwards every request
 * and answer as it is, except for the answers to the first pushes: they are held whole (status
 * and body) until a later push of the console has arrived (at most a few seconds, so an engine
 * that waits for an answer still finishes its drain and the test fails rather than hangs).
 * The second test garbles one push's answer body under its 200: the drain stops once the one
 * push sent after it settles, and every event reaches the tracker exactly once.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { enrol, enrolmentCode, live, logTechnicalIncidents, ownTitlesAtTracker, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';

const lab = syncLab('guardline-sync-on-the-status-');

const BATCH = 40;
const INCIDENTS = 230;
/** Push answers whose body the first test holds back. */
const HELD = 3;
/** The longest a body is held when no next push comes (the engine that waits for it). */
const HOLD_AT_MOST_MS = 4_000;

/** What passed through the proxy, in the order it arrived. */
interface Seen {
  method: string;
  path: string;
  /** A push's event ids, as sent. */
  ids: string[];
}

interface ProxyOptions {
  /** Called with each push answer (its index among push answers, status, body); returns what to do. */
  onPushAnswer(index: number, status: number, body: Buffer): { hold: boolean; body: Buffer };
}

async function startProxy(target: string, options: ProxyOptions) {
  const seen: Seen[] = [];
  let pushAnswers = 0;
  const result = { seen, releasedByNextPush: 0, releasedByTimer: 0 };
  let pushesArrived = 0;
  /** Answers held until this many pushes have arrived. */
  const waiting: { until: number; release(): void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const isPush = req.method === 'POST' && req.url === '/v1/events';
    // A push's request has arrived (its headers): answers held for a later push go now.
    if (isPush) {
      pushesArrived += 1;
      for (const w of waiting.filter((w) => pushesArrived >= w.until)) {
        result.releasedByNextPush += 1;
        w.release();
      }
    }
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: Seen = { method: req.method!, path: req.url!, ids: [] };
      if (isPush) entry.ids = (JSON.parse(body.toString()) as { events: { id: string }[] }).events.map((e) => e.id);
      seen.push(entry);
      const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const headers: IncomingHttpHeaders = { ...answer.headers };
        delete headers.connection;
        delete headers['keep-alive'];
        if (!isPush) {
          res.writeHead(answer.statusCode!, headers);
          answer.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          const index = pushAnswers++;
          const decided = options.onPushAnswer(index, answer.statusCode!, Buffer.concat(parts));
          headers['content-length'] = String(decided.body.length);
          const send = () => {
            res.writeHead(answer.statusCode!, headers);
            res.end(decided.body);
          };
          if (!decided.hold) return send();
          // Held (status and body) until a push after this one has arrived, at once if one has.
          const until = index + 2;
          if (pushesArrived >= until) {
            result.releasedByNextPush += 1;
            return send();
          }
          const timer = setTimeout(() => {
            result.releasedByTimer += 1;
            waiting.splice(waiting.indexOf(held), 1);
            send();
          }, HOLD_AT_MOST_MS);
          const held = {
            until,
            release() {
              clearTimeout(timer);
              waiting.splice(waiting.indexOf(held), 1);
              send();
            },
          };
          waiting.push(held);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  lab.closeBeforeTracker(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...result, result };
}

async function consoleWithBacklog(name: string) {
  const c = await lab.syncConsole(name, { sync: { batchSize: BATCH } });
  return { c, titles: await logTechnicalIncidents(c, INCIDENTS, name) };
}

it('sends the next push before the previous one is answered', { timeout: 180_000 }, async () => {
  const tracker = await lab.startTracker();
  const { c, titles } = await consoleWithBacklog('status');
  const proxy = await startProxy(tracker.url, {
    // From the second answer: the first tells the console that this tracker keeps the order of
    // pushes in flight together (its x-guardline-push-order header), so until then one flies.
    onPushAnswer: (index, status, body) => ({ hold: status === 200 && index >= 1 && index <= HELD, body }),
  });
  await enrol(c, proxy.url, await enrolmentCode(tracker.url));
  await waitForSync(c, live, 'the backlog to drain');

  const pushes = proxy.result.seen.filter((s) => s.method === 'POST' && s.path === '/v1/events');
  expect(pushes.length).toBeGreaterThan(HELD + 1);
  // Each held answer was let go by a later push's arrival, never by the proxy giving up.
  expect({ byNextPush: proxy.result.releasedByNextPush, byTimer: proxy.result.releasedByTimer }).toEqual({
    byNextPush: HELD,
    byTimer: 0,
  });
  // Every event at the tracker once, in the order it was written.
  expect(await ownTitlesAtTracker(tracker.url, c)).toEqual(titles);
});

it(
  'stops after the one push sent on a 200 whose body is garbage, and loses or repeats nothing',
  { timeout: 180_000 },
  async () => {
    const tracker = lab.hasTracker ? lab.tracker : await lab.startTracker();
    const { c, titles } = await consoleWithBacklog('garbage');
    const GARBLED = 2;
    const proxy = await startProxy(tracker.url, {
      onPushAnswer: (index, status, body) => ({
        hold: false,
        body: index === GARBLED && status === 200 ? Buffer.from('<html>not the tracker</html>') : body,
      }),
    });
    await enrol(c, proxy.url, await enrolmentCode(tracker.url));
    await waitForSync(c, live, 'the backlog to drain');

    const seen = proxy.result.seen;
    const pushAt = seen.flatMap((s, i) => (s.method === 'POST' && s.path === '/v1/events' ? [i] : []));
    const garbled = pushAt[GARBLED]!;
    // Between the garbled answer's push and the next cycle's health check: the one push sent after it.
    const nextHealth = seen.findIndex((s, i) => i > garbled && s.path === '/v1/health');
    expect(nextHealth).toBeGreaterThan(garbled);
    expect(pushAt.filter((i) => i > garbled && i < nextHealth)).toHaveLength(1);
    // The garbled answer's events went again (its acks were never read) ...
    const resentLater = pushAt
      .filter((i) => i > nextHealth)
      .flatMap((i) => seen[i]!.ids)
      .filter((id) => seen[garbled]!.ids.includes(id));
    expect(resentLater).toEqual(seen[garbled]!.ids);
    // ... and the tracker holds every event once, in the order written; the console has nothing pending.
    expect(await ownTitlesAtTracker(tracker.url, c)).toEqual(titles);
    expect(c.core.sync.status().pending).toBe(0);
  },
);
