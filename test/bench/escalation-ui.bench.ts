/**
 * Threat raised on console A → alarm banner rendered in console B's page, through a real
 * tracker (child process, SSE) and two real browser hosts, on loopback: p50/p95 over 50
 * trials. This is the end-to-end figure of DESIGN.md §9 ("alarm rendered on another
 * console", target p95 < 1 s); `escalation.bench.ts` stops at B's core push.
 *
 * A guard's API call on A (over A's own page socket) starts the clock; the clock stops
 * when Playwright sees the banner row in B's page ("wall"). The page also stamps the
 * moment the row entered the DOM (a MutationObserver), which leaves out Playwright's own
 * polling. Baseline, same path and same run: a plain incident reaching B's incident list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { Alarm } from '../../src-shared/escalation.ts';
import { launchChromium, startWebHost } from '../e2e/harness.ts';
import { mustCall } from '../e2e/page-api.ts';
import { enrolmentCode, FACILITY, startTracker } from '../integration/sync/sync-lab.ts';
import { incidentInput } from '../support/incidents.ts';
import { seededRandom } from '../support/fault-proxy.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';
import { benchCall, openPageSocket, stampWhenRendered } from './page-timing.ts';

const TRIALS = 50;
const WARMUP = 5;
const TARGET_P95_MS = 1000;
const WAIT = { timeout: 30_000 };
const UNIT = 'Avdelning B';
const SUPERVISOR = { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: [UNIT], pin: '4455' };
const GUARD = { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: [UNIT], pin: '6677' };

/** Epoch milliseconds with sub-millisecond resolution, comparable between this process and the page. */
const nowMs = () => performance.timeOrigin + performance.now();

interface Trial {
  wall: number;
  inPage: number;
}

async function timeRendering(
  a: Page,
  b: Page,
  selector: string,
  title: string,
  category: 'threat' | 'other',
): Promise<Trial> {
  const stamped = stampWhenRendered(b, selector, title);
  const seen = b.locator(selector, { hasText: title }).first().waitFor(WAIT);
  const start = nowMs();
  await benchCall(a, 'incidents.create', incidentInput({ unit: UNIT, category, title }));
  await seen;
  const wall = nowMs() - start;
  return { wall, inPage: (await stamped) - start };
}

export async function escalationUiBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-bench-escalation-ui-'));
  const tracker = await startTracker(join(dir, 'tracker.sqlite'));
  const hosts = await Promise.all([
    startWebHost({ dataDir: join(dir, 'a'), env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: UNIT } }),
    startWebHost({ dataDir: join(dir, 'b'), env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: 'Ledningscentral' } }),
  ]);
  const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all([a.goto(hosts[0].url), b.goto(hosts[1].url)]);
    await a.getByRole('heading', { name: /Första start/ }).waitFor(WAIT);
    await b.getByRole('heading', { name: /Första start/ }).waitFor(WAIT);

    await mustCall(a, 'auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' });
    await mustCall(a, 'staff.enroll', SUPERVISOR);
    await mustCall(a, 'staff.enroll', GUARD);
    await mustCall(a, 'sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url), label: 'A' });
    await mustCall(b, 'sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url), label: 'B' });
    await b.getByRole('heading', { name: 'Logga in', exact: true }).waitFor(WAIT);
    await mustCall(b, 'auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
    await mustCall(a, 'auth.signIn', { staffNumber: GUARD.staffNumber, pin: GUARD.pin });
    await b.getByRole('listbox', { name: 'Händelser' }).waitFor(WAIT);
    await openPageSocket(a);
    await openPageSocket(b);

    const plain: Trial[] = [];
    const threat: Trial[] = [];
    const coin = seededRandom(20261205);
    for (let i = 0; i < TRIALS + WARMUP; i++) {
      const plainTrial = () => timeRendering(a, b, '[role=listbox] [role=option]', `Bench ${i}`, 'other');
      const threatTrial = async () => {
        const alarmed = await timeRendering(
          a,
          b,
          '[data-testid=alarm-banner] [data-escalation-id]',
          `Hot ${i}`,
          'threat',
        );
        // Acknowledge on B so the next trial starts with no alarm standing.
        const { alarms } = await benchCall<{ alarms: Alarm[] }>(b, 'alarms.list', {});
        for (const alarm of alarms) await benchCall(b, 'escalation.acknowledge', { escalationId: alarm.escalationId });
        await b.locator('[data-testid=alarm-banner]').waitFor({ state: 'detached', ...WAIT });
        await a.locator('[data-testid=alarm-banner]').waitFor({ state: 'detached', ...WAIT });
        return alarmed;
      };
      // Which goes first is a coin toss per trial, so neither always meets a warmer or colder path.
      let listed: Trial;
      let alarmed: Trial;
      if (coin() < 0.5) {
        listed = await plainTrial();
        alarmed = await threatTrial();
      } else {
        alarmed = await threatTrial();
        listed = await plainTrial();
      }
      if (i >= WARMUP) {
        plain.push(listed);
        threat.push(alarmed);
      }
      progress('threat on A → banner in B', i + 1, TRIALS + WARMUP);
    }

    const p = (trials: Trial[], key: keyof Trial, q: number) =>
      round(
        percentile(
          trials.map((t) => t[key]),
          q,
        ),
        1,
      );
    const p95 = p(threat, 'wall', 95);
    return [
      { metric: 'incident on A → row in B’s list (wall) p50', value: p(plain, 'wall', 50), unit: 'ms' },
      { metric: 'incident on A → row in B’s list (wall) p95', value: p(plain, 'wall', 95), unit: 'ms' },
      { metric: 'threat on A → banner rendered in B (in page) p50', value: p(threat, 'inPage', 50), unit: 'ms' },
      { metric: 'threat on A → banner rendered in B (in page) p95', value: p(threat, 'inPage', 95), unit: 'ms' },
      { metric: 'threat on A → banner rendered in B (wall) p50', value: p(threat, 'wall', 50), unit: 'ms' },
      {
        metric: 'threat on A → banner rendered in B (wall) p95',
        value: p95,
        unit: 'ms',
        baseline: { name: 'plain incident → B’s list p95', value: p(plain, 'wall', 95) },
        target: `p95 < ${TARGET_P95_MS} ms on loopback`,
        pass: p95 < TARGET_P95_MS,
      },
    ];
  } finally {
    await browser.close();
    await Promise.all(hosts.map((h) => h.stop()));
    await tracker.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
