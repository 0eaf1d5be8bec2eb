/**
 * `npm run bench hq` (issue 15, DESIGN §9):
 *  - HQ overview first render in Chromium with 40 facilities × 200 lines × one year of
 *    line history (a status change per line about every week: 40 × 200 × 52 × 2 events,
 *    plus each facility's catalogue and an enrolled console), p95 over repeated loads,
 *    beside the same page for one empty facility (the page's own floor) and the overview
 *    API alone;
 *  - live update latency from a console's line change (its `line.status_changed` commit)
 *    to the HQ overview in the browser showing it, p95, beside the tracker's own SSE head
 *    reaching a plain client (the fan-out floor).
 * The tracker runs as its own process on the prepared SQLite file, the console is a real
 * core (real SQLite, real probes switched by the bench), HQ is real Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { encodeHlc } from '../../src-shared/hlc.ts';
import { lineStreamId } from '../../src-shared/telephony.ts';
import { catalogStreamId } from '../../src-shared/figures-catalog.ts';
import { openTrackerDb } from '../../src-tracker/db/database.ts';
import { createHqProjector } from '../../src-tracker/projections/projector.ts';
import { hashSecret } from '../../src-tracker/auth/tokens.ts';
import { startChildTracker } from '../integration/tracker/child-tracker.ts';
import { hqSignIn, trackerClient } from '../integration/tracker/http-client.ts';
import { openSse } from '../integration/tracker/sse-client.ts';
import { ADMIN_TOKEN, FACILITY, waitForSync } from '../integration/sync/sync-lab.ts';
import { launchChromium } from '../e2e/harness.ts';
import { HQ_ADMIN, signInHq, trunkConsole } from '../e2e/hq-lab.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const FACILITIES = 40;
const LINES = 200;
const CHANGES_PER_LINE = 104; // down and up again about once a week
const YEAR_MS = 365 * 86_400_000;
const LOADS = 15;
const LIVE_TRIALS = 15;
const TARGET_MS = 1000;

async function seed(file: string): Promise<number> {
  const store = await openTrackerDb({ kind: 'sqlite', file });
  const now = Date.now();
  const start = now - YEAR_MS;
  let total = 0;
  await store.db
    .insertInto('admin_tokens')
    .values({ token_hash: hashSecret('unused-bench'), created_at: now })
    .execute();
  for (let f = 0; f < FACILITIES; f++) {
    const facility = f === 0 ? FACILITY : `anstalt-${String(f).padStart(2, '0')}`;
    await store.db
      .insertInto('facilities')
      .values({ id: facility, name: f === 0 ? FACILITY : `Anstalt ${f}`, created_at: start })
      .execute();
    const device = `bench-device-${f}`;
    await store.db
      .insertInto('devices')
      .values({
        id: device,
        device_id: device,
        facility,
        label: 'bench',
        token_hash: hashSecret(device),
        created_at: start,
        revoked_at: null,
      })
      .execute();
    const units = Array.from({ length: 10 }, (_, u) => ({ id: `u${u}`, name: `Avdelning ${u}` }));
    const lines = Array.from({ length: LINES }, (_, l) => ({
      id: `l${l}`,
      name: `Linje ${l}`,
      unit: `u${l % 10}`,
      kind: l === 0 ? 'trunk' : 'desk',
      criticality: 'critical',
    }));
    const rows: Record<string, unknown>[] = [];
    const envelope = (type: string, stream: string, payload: unknown, at: number, n: number) => ({
      id: uuidv7({ msecs: at }),
      facility,
      stream_id: stream,
      type,
      payload: JSON.stringify(payload),
      actor: 'system:monitor',
      device_id: device,
      device_time: at,
      hlc: encodeHlc({ wallMs: at, counter: n % 1000, node: device }),
      received_at: at,
      pushed_by: device,
    });
    rows.push(
      envelope(
        'facility.lines_declared',
        catalogStreamId(facility),
        { facilityId: facility, facilityName: `Anstalt ${f}`, units, lines },
        start,
        0,
      ),
    );
    for (let l = 0; l < LINES; l++) {
      for (let c = 0; c < CHANGES_PER_LINE; c++) {
        const at = start + Math.floor(((c + (l % 7) / 7) * YEAR_MS) / CHANGES_PER_LINE);
        const down = c % 2 === 0;
        const evidence = {
          probeType: 'sip-options',
          ok: !down,
          code: down ? 'timeout' : 'sip_status',
          rttMs: down ? null : 1,
          detail: '',
          failures: down ? 3 : 0,
          firstFailureAt: null,
          lastSuccessAt: at - 15_000,
          at,
        };
        rows.push(
          envelope(
            'line.status_changed',
            lineStreamId(facility, `l${l}`),
            { facilityId: facility, lineId: `l${l}`, from: down ? 'UP' : 'DOWN', to: down ? 'DOWN' : 'UP', evidence },
            at,
            c,
          ),
        );
      }
    }
    for (let i = 0; i < rows.length; i += 2000) {
      await store.db
        .insertInto('events')
        .values(rows.slice(i, i + 2000) as never)
        .execute();
    }
    total += rows.length;
    progress('seeding facilities', f + 1, FACILITIES);
  }
  const projector = createHqProjector(store, { delayMs: 0 });
  const started = Date.now();
  await projector.settled();
  process.stderr.write(`  projected ${total} events in ${Date.now() - started} ms\n`);
  await projector.stop();
  await store.close();
  return total;
}

async function measureOverview(trackerUrl: string, expectRows: number) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${trackerUrl}/hq`);
    await signInHq(page);
    await page.getByTestId('overview-table').waitFor({ timeout: 30_000 });
    const render: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const started = Date.now();
      await page.goto(`${trackerUrl}/hq#/`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="overview-table"] tbody tr').length === n,
        expectRows,
        { timeout: 30_000, polling: 'raf' },
      );
      render.push(Date.now() - started);
    }
    const api: number[] = [];
    const cookie = (await context.cookies())[0]!;
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      const r = await fetch(`${trackerUrl}/v1/hq/overview`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
      await r.json();
      api.push(performance.now() - started);
    }
    return { render, api, page, browser };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The admin token creates the first HQ admin (its only use); that admin's session does the rest. */
const createHqAdmin = (trackerUrl: string) => hqSignIn(trackerUrl, ADMIN_TOKEN, HQ_ADMIN);

export async function hqBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-bench-hq-'));
  const trackers: { kill(): Promise<void> }[] = [];
  try {
    // Floor: the same page with one empty facility.
    const small = await startChildTracker({
      args: ['--data', join(dir, 'small.sqlite')],
      env: { GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' },
    });
    trackers.push(small);
    const smallHq = await createHqAdmin(small.url);
    await trackerClient(small.url).post('/v1/admin/enrolment-codes', { facility: FACILITY }, smallHq);
    const floor = await measureOverview(small.url, 1);
    await floor.browser.close();

    const file = join(dir, 'fleet.sqlite');
    const events = await seed(file);
    const big = await startChildTracker({
      args: ['--data', file],
      env: { GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' },
    });
    trackers.push(big);
    const bigHq = await createHqAdmin(big.url);
    const fleet = await measureOverview(big.url, FACILITIES);

    // Live: a real console of facility 0 fails and restores its trunk; HQ's overview shows it.
    const { console: c, trunk } = await trunkConsole(dir, big.url, 'bench');
    const row = fleet.page.getByTestId(`facility-${FACILITY}`);
    const sse = await openSse(`${big.url}/v1/hq/stream`, bigHq);
    const live: number[] = [];
    const fanOut: number[] = [];
    try {
      for (let i = 0; i < LIVE_TRIALS; i++) {
        const goingDown = !trunk.down;
        const committed = new Promise<number>((resolve) => {
          const stop = c.core.subscribe(() => {
            const last = c.core.store.db
              .prepare("SELECT device_time FROM events WHERE type = 'line.status_changed' ORDER BY seq DESC LIMIT 1")
              .get() as { device_time: number } | undefined;
            if (last && last.device_time > startedAt) {
              stop();
              resolve(Date.now());
            }
          });
        });
        const before = Math.max(0, ...sse.messages().map((m) => m.seq));
        const startedAt = Date.now();
        trunk.down = goingDown;
        const shown = fleet.page.waitForFunction(
          ([id, down]) => {
            const text = document.querySelector(`[data-testid="facility-${id}"]`)?.textContent ?? '';
            return down ? text.includes('ur funktion') : !text.includes('ur funktion');
          },
          [FACILITY, goingDown] as const,
          { timeout: 30_000, polling: 'raf' },
        );
        const at = await committed;
        const headAt = sse.waitFor((m) => m.seq > before, 30_000).then(() => Date.now());
        await shown;
        live.push(Date.now() - at);
        fanOut.push((await headAt) - at);
        await waitForSync(c, (s) => s.pending === 0, 'pushed', 30_000);
        progress('live updates', i + 1, LIVE_TRIALS);
      }
      void row;
    } finally {
      sse.close();
      await c.close();
      await fleet.browser.close();
    }

    const p95 = (xs: number[]) => round(percentile(xs, 95), 1);
    return [
      { metric: `seeded events (${FACILITIES} facilities × ${LINES} lines × 1 year)`, value: events, unit: 'events' },
      {
        metric: 'HQ overview first render in Chromium p95',
        value: p95(fleet.render),
        unit: 'ms',
        baseline: { name: 'same page, one empty facility', value: p95(floor.render) },
        target: `< ${TARGET_MS} ms`,
        pass: p95(fleet.render) < TARGET_MS,
      },
      {
        metric: 'GET /v1/hq/overview p95 (fleet)',
        value: p95(fleet.api),
        unit: 'ms',
        baseline: { name: 'one empty facility', value: p95(floor.api) },
      },
      {
        metric: 'console line change → HQ overview shows it, p95',
        value: p95(live),
        unit: 'ms',
        baseline: { name: 'same change → SSE head at a plain client', value: p95(fanOut) },
        target: `< ${TARGET_MS} ms`,
        pass: p95(live) < TARGET_MS,
      },
    ];
  } finally {
    for (const t of trackers) await t.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
