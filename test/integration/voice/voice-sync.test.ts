/**
 * Test calls are facts like every probe result: they sync to a real tracker process,
 * and HQ's period report folds them into the same voice-quality episodes the console
 * shows (and its CSV and TMF621 carry them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import { hqAdmin } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';
import type { TestConsole } from '../../support/consoles.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import type { LineVoiceTestedPayload } from '../../../src-shared/voice.ts';
import { FACILITY, at, event } from '../../unit/reports/fixtures.ts';
import { enrolAndPushAll, reportConsole } from '../reports/report-lab.ts';
import { v7 as uuidv7 } from 'uuid';

const TRACKER_FACILITY = 'Märsta';
const DAY = { from: at(0), to: at(24) };

function call(hours: number, verdict: LineVoiceTestedPayload['verdict'], received: number): LineVoiceTestedPayload {
  const state = verdict === 'ok' ? 'UP' : 'DEGRADED';
  return {
    facilityId: FACILITY,
    lineId: 'b1',
    trunkId: 'b1',
    testId: uuidv7(),
    trigger: 'schedule',
    verdict,
    state,
    sipStatus: 200,
    detail: '',
    measurements: {
      setupMs: 40,
      rttMs: received ? 30 : null,
      sent: 200,
      received,
      lossPct: 100 - received / 2,
      jitterMs: received ? 2 : null,
      longestGapMs: received ? 20 : 4000,
      latePct: 0,
      mos: received ? 4.3 : null,
      r: received ? 90 : null,
      codec: 'PCMU',
      talkMs: 4000,
    },
    startedAt: at(hours) - 4500,
    at: at(hours),
  };
}

const lab = syncLab('guardline-voice-sync-');
let tracker: ChildTracker;
let c: TestConsole;

beforeAll(async () => {
  tracker = await lab.startTracker();
  c = await reportConsole(lab);
  const deviceId = c.core.info().deviceId;
  // One-way audio 14:00–14:45 (4 calls every 15 min), good again at 15:00.
  const calls = [
    call(13.75, 'ok', 200),
    ...[14, 14.25, 14.5, 14.75].map((h) => call(h, 'no_media', 0)),
    call(15, 'ok', 200),
  ];
  c.core.store.append(
    calls.map((p) =>
      event(
        'line.voice_tested',
        `voice:${FACILITY}:b1`,
        p,
        p.at / 3_600_000 - at(0) / 3_600_000,
        'system:voice-test',
        deviceId,
      ),
    ),
  );
  await enrolAndPushAll(lab, c);
});

describe('test calls at HQ', () => {
  it('HQ reports the same voice-quality episode as the console', async () => {
    const q = new URLSearchParams({
      facility: TRACKER_FACILITY,
      from: String(DAY.from),
      to: String(DAY.to),
      noResponseHours: '4',
    });
    const reply = await trackerClient(tracker.url).get<{ report: PeriodReport }>(
      `/v1/hq/report?${q}`,
      await hqAdmin(tracker.url),
    );
    expect(reply.status).toBe(200);
    const onConsole = await c.call<PeriodReport>('reports.period', { ...DAY, noResponseHours: 4 });
    expect(onConsole.voiceEpisodes).toEqual([
      expect.objectContaining({
        lineId: 'b1',
        verdict: 'no_media',
        from: at(14),
        to: at(14.75),
        calls: 4,
        mediaReceivedPct: 0,
        ended: true,
      }),
    ]);
    expect(reply.body.report.voiceEpisodes).toEqual(onConsole.voiceEpisodes);
  });
});
