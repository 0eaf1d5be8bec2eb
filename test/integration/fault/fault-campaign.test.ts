import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { startChildTracker, type ChildTracker } from '../tracker/child-tracker.ts';
import { requirePostgres, startPostgres, type RunningPostgres } from '../../lab/postgres.ts';
import { seededRandom, startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { cleanupTestConsoles, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';
import { updateReadme } from '../../../scripts/results-tables.ts';
import { round } from '../../bench/report.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import {
  ADMIN_TOKEN,
  consoleIncidents,
  deliveryCount,
  deviceToken,
  enrol,
  enrolmentCode,
  eventCount,
  syncConsole,
  trackerEvents,
  trackerProjectionHash,
  waitForSync,
} from '../sync/sync-lab.ts';

/**
 * The fault campaign (issue 8): three consoles keep logging while the network between
 * them and the tracker drops, cuts and delays connections, the tracker is killed -9 and
 * restarted, and its PostgreSQL crashes and restarts. Afterwards every event must be at
 * the tracker exactly once and all four pictures must agree. CI runs ~90 s of chaos;
 * GUARDLINE_FAULT_SECONDS runs it longer and records the figures.
 */
const SECONDS = Number(process.env.GUARDLINE_FAULT_SECONDS ?? 90);
const RECORD = process.env.GUARDLINE_FAULT_SECONDS !== undefined;
const hasPostgres = requirePostgres('fault campaign', 'fault');
const dir = tempDir('guardline-fault-');
const consoles: TestConsole[] = [];
let pg: RunningPostgres | null = null;
let tracker: ChildTracker | null = null;
let proxy: FaultProxy | null = null;

afterAll(async () => {
  for (const c of consoles) await c.close();
  await proxy?.close();
  await tracker?.kill();
  await pg?.stop();
  cleanupTestConsoles();
  dir.cleanup();
});

describe.skipIf(!hasPostgres)('fault campaign on PostgreSQL', () => {
  it(
    `converges exactly once after ${SECONDS} s of network faults, tracker kills and database crashes`,
    { timeout: (SECONDS + 240) * 1000 },
    async () => {
      pg = await startPostgres();
      const databaseUrl = await pg.createDatabase('guardline_fault');
      const startTracker = () =>
        startChildTracker({
          args: [],
          env: { DATABASE_URL: databaseUrl, GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' },
        });
      tracker = await startTracker();
      proxy = await startFaultProxy(Number(new URL(tracker.url).port), 8);
      for (const name of ['a', 'b', 'c']) {
        const c = await syncConsole(dir.path, name, { escalationPolicies: [] });
        consoles.push(c);
        await enrol(c, proxy.url, await enrolmentCode(tracker.url));
      }
      proxy.setPlan({ refuse: 0.05, drop: 0.05, cut: 0.08, delay: 0.1, delayMs: 100 });

      const random = seededRandom(42);
      const started = Date.now();
      const loadAtStart = loadavg()[0]!;
      const deadline = Date.now() + SECONDS * 1000;
      const chaos = { trackerKills: 0, databaseCrashes: 0, linkDrops: 0 };
      let writes = 0;

      async function writer(c: TestConsole, tag: string) {
        for (let i = 0; i < 5_000 && Date.now() < deadline; i++) {
          const known = consoleIncidents(c);
          const target = known.length > 0 && random() < 0.6 ? known[Math.floor(random() * known.length)]! : null;
          if (!target)
            await c.call(
              'incidents.create',
              incidentInput({ title: `${tag} ${i}`, category: 'technical', severity: 'low' }),
            );
          else if (random() < 0.5)
            await c.call('incidents.update', { id: target.id, patch: { title: `${tag} ändrade ${i}` } });
          else await c.call('incidents.addNote', { id: target.id, text: `${tag} ${i}` });
          writes += 1;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }

      async function monkey() {
        while (Date.now() < deadline - 5_000) {
          await new Promise((resolve) => setTimeout(resolve, 4_000 + random() * 4_000));
          const roll = random();
          if (roll < 0.4) {
            await tracker!.kill();
            tracker = await startTracker();
            proxy!.setTarget(Number(new URL(tracker.url).port));
            chaos.trackerKills += 1;
          } else if (roll < 0.7) {
            await pg!.crashAndRestart();
            chaos.databaseCrashes += 1;
          } else {
            proxy!.setLink('down');
            await new Promise((resolve) => setTimeout(resolve, 1_500));
            proxy!.setLink('up');
            chaos.linkDrops += 1;
          }
          process.stderr.write(
            `fault campaign: ${Math.round((deadline - Date.now()) / 1000)} s left, ${writes} writes, ${JSON.stringify(chaos)}\n`,
          );
        }
      }

      await Promise.all([writer(consoles[0]!, 'A'), writer(consoles[1]!, 'B'), writer(consoles[2]!, 'C'), monkey()]);

      // Calm: faults off, everyone retries now, and all four pictures must meet.
      proxy.setPlan({});
      proxy.setLink('up');
      for (const c of consoles) await c.call('sync.retryNow');
      const total = () => Math.max(...consoles.map(eventCount));
      try {
        for (let pass = 0; pass < 3; pass++) {
          for (const c of consoles) {
            await waitForSync(
              c,
              (s) => s.pending === 0 && s.state === 'live' && eventCount(c) === total(),
              `console convergence (round ${pass})`,
              180_000,
            );
          }
        }
      } catch (error) {
        // Say what the tracker was doing: alive or not, and what it last printed.
        const alive = await Promise.race([
          tracker.exited.then((code) => `exited (${code})`),
          // A turn later: an exit already seen has settled `exited` by then.
          new Promise<string>((resolve) => setImmediate(() => resolve('running'))),
        ]);
        const tail = tracker.output().split('\n').slice(-40).join('\n');
        throw new Error(
          `${(error as Error).message}\ntracker ${alive}; proxy ${JSON.stringify(proxy.stats)}; its last output:\n${tail}`,
          { cause: error },
        );
      }
      const held = await trackerEvents(tracker.url, deviceToken(consoles[0]!));
      // Exactly once, counted per console: each acknowledged event at the tracker once, same content, nothing extra.
      const deliveries = consoles.map((c) => deliveryCount(c.core.store, c.core.info().deviceId, held));
      const sum = (pick: (d: (typeof deliveries)[number]) => number) => deliveries.reduce((n, d) => n + pick(d), 0);
      const figures = {
        eventsWritten: sum((d) => d.written),
        acknowledged: sum((d) => d.acknowledged),
        eventsAtTracker: held.length,
        missing: sum((d) => d.missing.length),
        extra: sum((d) => d.extra.length),
        duplicates: sum((d) => d.duplicates.length),
        payloadMismatches: sum((d) => d.payloadMismatches.length),
        outOfOrder: sum((d) => d.outOfOrder.length),
        foreignAtTracker: held.filter(
          (e) => !deliveries.some((_, k) => e.deviceId === consoles[k]!.core.info().deviceId),
        ).length,
      };
      const trackerHash = await trackerProjectionHash(held);
      const consoleHashes = await Promise.all(consoles.map((c) => projectionHash(consoleIncidents(c))));
      const projectionHashesEqual = consoleHashes.every((h) => h === trackerHash);
      process.stderr.write(
        `fault campaign: ${JSON.stringify({ writes, ...figures, projectionHashesEqual, ...chaos })}\n`,
      );
      for (const d of deliveries) {
        expect(d.missing).toEqual([]);
        expect(d.extra).toEqual([]);
        expect(d.duplicates).toEqual([]);
        expect(d.payloadMismatches).toEqual([]);
        expect(d.outOfOrder).toEqual([]); // stored in the order each console numbered them (16x)
        expect(d.acknowledged).toBe(d.written); // calm and drained: everything acknowledged
      }
      expect(figures.foreignAtTracker).toBe(0);
      expect(figures.eventsAtTracker).toBe(figures.eventsWritten);
      for (const c of consoles) expect(eventCount(c)).toBe(held.length);
      expect(consoleHashes).toEqual(consoles.map(() => trackerHash));
      expect(chaos.trackerKills + chaos.databaseCrashes + chaos.linkDrops).toBeGreaterThan(0);
      expect(proxy.stats.refuse + proxy.stats.drop + proxy.stats.cut + proxy.stats.delay).toBeGreaterThan(0);

      if (RECORD) {
        const file = join(process.cwd(), 'bench', 'results', 'reliability.json');
        mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
        const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
        const fault = {
          at: new Date().toISOString(),
          command: 'npm run test:faults',
          seconds: SECONDS,
          durationS: Math.round((Date.now() - started) / 1000),
          loadAverage1m: { start: round(loadAtStart, 2), end: round(loadavg()[0]!, 2) },
          consoles: consoles.length,
          writes,
          ...figures,
          projectionHashesEqual,
          ...chaos,
          proxyFaults: { ...proxy.stats },
        };
        writeFileSync(file, JSON.stringify({ ...previous, fault }, null, 2) + '\n');
        await updateReadme();
      }
    },
  );
});
