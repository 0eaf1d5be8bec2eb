/**
 * Test calls in a real console: the facility config names a trunk's echo target and
 * credential, an admin stores the password (never in the config), and calls placed on
 * demand or after a guard's report land in the log as `line.voice_tested` events,
 * one call at a time per trunk. Kamailio (digest auth) and sipp (echo) are real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, statSync } from 'node:fs';
import { voiceTrunk, writeVoiceLabConfig } from '../../support/voice-lab-config.ts';
import { dirname, join } from 'node:path';
import { requireLabTools } from '../../lab/tools.ts';
import { LAB_PASSWORD, LAB_USER, startEchoFarEnd, startVoiceProxy, type LabService } from '../../lab/voice.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import type { LineVoiceTestedPayload, VoiceLineStatus } from '../../../src-shared/voice.ts';
import { event } from '../../unit/reports/fixtures.ts';
import { v7 as uuidv7 } from 'uuid';

const labReady = requireLabTools('console test-call lab', ['kamailio', 'sipp']);

describe.skipIf(!labReady)('test calls from a console', () => {
  let farEnd: LabService;
  let proxy: LabService;
  let station: TestConsole;
  const dir = tempDir();

  beforeAll(async () => {
    farEnd = await startEchoFarEnd({ kind: 'echo' }, (p) => p, 10);
    proxy = await startVoiceProxy({ farEndPort: farEnd.port, algorithm: 'SHA-256' });
    const file = join(dir.path, 'guardline.config.json');
    writeVoiceLabConfig(
      file,
      [{ id: 'b', name: 'Avdelning B' }],
      [
        voiceTrunk({
          id: 'trunk-a',
          name: 'Trunk A',
          unit: 'b',
          port: proxy.port,
          credential: 'trunk-a',
          durationMs: 1000,
        }),
        {
          id: 'b-desk',
          name: 'Expedition B',
          unit: 'b',
          kind: 'desk',
          via: 'trunk-a',
          probe: { type: 'sip-options', host: '127.0.0.1', port: proxy.port },
        },
      ],
    );
    station = openTestConsole({ telephony: { configFile: file } });
    await station.core.ready;
    await enrolStandardRoster(station);
  });

  afterAll(async () => {
    await station?.close();
    await proxy?.dispose();
    await farEnd?.dispose();
    cleanupTestConsoles();
    dir.cleanup();
  });

  const calls = () => station.events('line.voice_tested').map((e) => e.payload as LineVoiceTestedPayload);
  /** Resolves once `n` calls are in the log; waits on the console's own push, not a timer. */
  const callsRecorded = (n: number) =>
    new Promise<LineVoiceTestedPayload[]>((resolve) => {
      const check = () => {
        if (calls().length < n) return false;
        off();
        resolve(calls());
        return true;
      };
      const off = station.core.subscribe((name) => {
        if (name === 'voice.changed') check();
      });
      check();
    });

  it('only an admin stores a line password, and it lands in a file only this account can read', async () => {
    await station.signIn('G1');
    const denied = await station.fail('voice.setCredential', {
      ref: 'trunk-a',
      username: LAB_USER,
      password: LAB_PASSWORD,
    });
    expect(denied.code).toBe('forbidden');
    await station.signIn('A1');
    const stored = await station.call<{ storage: string }>('voice.setCredential', {
      ref: 'trunk-a',
      username: LAB_USER,
      password: LAB_PASSWORD,
    });
    expect(stored.storage).toBe('service-account-file');
    const file = join(dirname(station.file), 'sip-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a guard reporting one-way audio on a desk line triggers a test call through its trunk', async () => {
    await station.signIn('G1');
    await station.call('lines.reportProblem', { lineId: 'b-desk', problem: 'one_way_audio', text: 'hör inget' });
    const [call] = await callsRecorded(1);
    expect(call).toMatchObject({ lineId: 'b-desk', trunkId: 'trunk-a', trigger: 'report', verdict: 'ok', state: 'UP' });
    expect(call!.measurements.received).toBe(call!.measurements.sent);
  });

  it('"Test call now" on two lines of one trunk: the second waits for the first', async () => {
    const first = await station.call<{ started: boolean }>('voice.testNow', { lineId: 'trunk-a' });
    const second = await station.call<{ started: boolean; queued: boolean }>('voice.testNow', { lineId: 'b-desk' });
    expect(first.started).toBe(true);
    expect(second).toEqual({ started: false, queued: true });
    const all = await callsRecorded(3);
    const [a, b] = all.slice(1);
    expect(a).toMatchObject({ lineId: 'trunk-a', trigger: 'manual', verdict: 'ok' });
    expect(b).toMatchObject({ lineId: 'b-desk', trigger: 'manual', verdict: 'ok' });
    expect(b!.startedAt).toBeGreaterThanOrEqual(a!.at);
    const status = await station.call<VoiceLineStatus>('voice.status', { lineId: 'b-desk' });
    expect(status).toMatchObject({ configured: true, scheduled: false, intervalMinutes: 15, mosFloor: 3.6 });
    expect(status.calls.map((c) => c.trigger)).toEqual(['manual', 'report']); // newest first
  });

  it('a credential file others can read is refused with an error naming it, not a DOWN', async () => {
    const file = join(dirname(station.file), 'sip-credentials.json');
    chmodSync(file, 0o644);
    try {
      await station.call('voice.testNow', { lineId: 'trunk-a' });
      const all = await callsRecorded(4);
      expect(all[3]).toMatchObject({ verdict: 'error', state: 'UNKNOWN' });
      expect(all[3]!.detail).toMatch(
        /line trunk-a: .*sip-credentials\.json can be read by other accounts \(mode 644\)/,
      );
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it("another console's test call, arriving by sync, refreshes this console's line detail", async () => {
    const [mine] = calls();
    const foreign = { ...mine!, testId: uuidv7(), at: mine!.at + 1 };
    const before = station.pushes.length;
    station.core.store.append([
      {
        ...event('line.voice_tested', 'voice:lab:b-desk', foreign, 0, 'system:voice-test', 'other-console'),
        deviceTime: foreign.at,
      },
    ]);
    expect(station.pushes.slice(before)).toContainEqual({ name: 'voice.changed', payload: { lineId: 'b-desk' } });
  });

  it('a line with no test call configured (nor its trunk) says so', async () => {
    const err = await station.fail('voice.testNow', { lineId: 'nope' });
    expect(err).toMatchObject({ code: 'not_found', field: 'lineId' });
  });
});
