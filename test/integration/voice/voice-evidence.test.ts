/**
 * Test calls as carrier evidence: a run of one-way-audio calls (the relay drops the
 * echo direction) becomes one voice-quality episode in the period report, the CSV and
 * the TMF621 export; a good call afterwards ends it. Real Kamailio, sipp and relay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voiceTrunk, writeVoiceLabConfig } from '../../support/voice-lab-config.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireLabTools } from '../../lab/tools.ts';
import { LAB_PASSWORD, LAB_USER, startEchoFarEnd, startVoiceProxy, type LabService } from '../../lab/voice.ts';
import { startUdpRelay, type UdpRelay } from '../../support/udp-relay.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { reportCsv } from '../../../src-shared/figures-csv.ts';
import { hqCsvLabels } from '../../../src-tracker/hq/csv-labels.ts';

const labReady = requireLabTools('voice evidence lab', ['kamailio', 'sipp']);

describe.skipIf(!labReady)('voice-quality episodes in the outage evidence', () => {
  let farEnd: LabService;
  let proxy: LabService;
  let relay: UdpRelay;
  let station: TestConsole;
  const dir = tempDir();
  const started = Date.now();

  beforeAll(async () => {
    farEnd = await startEchoFarEnd(
      { kind: 'echo' },
      async (mediaPort) => {
        relay = await startUdpRelay({ host: '127.0.0.1', port: mediaPort }, { toProbe: { block: true } });
        return relay.port;
      },
      3,
    );
    proxy = await startVoiceProxy({ farEndPort: farEnd.port, algorithm: 'MD5' });
    const file = join(dir.path, 'guardline.config.json');
    writeVoiceLabConfig(
      file,
      [{ id: 'b', name: 'Avdelning B' }],
      [voiceTrunk({ id: 'trunk-x', name: 'Trunk X', unit: 'b', port: proxy.port, credential: 'x', durationMs: 1000 })],
    );
    station = openTestConsole({ telephony: { configFile: file } });
    await station.core.ready;
    await enrolStandardRoster(station);
    await station.call('voice.setCredential', { ref: 'x', username: LAB_USER, password: LAB_PASSWORD });
  });

  afterAll(async () => {
    await station?.close();
    await relay?.close();
    await proxy?.dispose();
    await farEnd?.dispose();
    cleanupTestConsoles();
    dir.cleanup();
  });

  const callsDone = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => station.events('line.voice_tested').length >= n;
      if (check()) return resolve();
      const off = station.core.subscribe((name) => {
        if (name === 'voice.changed' && check()) {
          off();
          resolve();
        }
      });
    });

  it('two one-way calls and a good one: one ended episode, 0 % media received, in report, CSV and TMF621', async () => {
    for (let i = 1; i <= 2; i++) {
      await station.call('voice.testNow', { lineId: 'trunk-x' });
      await callsDone(i);
    }
    relay.setPlan({});
    await station.call('voice.testNow', { lineId: 'trunk-x' });
    await callsDone(3);
    expect(relay.counts.toProbe.dropped).toBeGreaterThan(0);

    const period = { from: started - 60_000, to: Date.now() + 60_000 };
    const report = await station.call<PeriodReport>('reports.period', period);
    expect(report.voiceEpisodes).toHaveLength(1);
    const [ep] = report.voiceEpisodes;
    expect(ep).toMatchObject({ lineId: 'trunk-x', verdict: 'no_media', calls: 2, mediaReceivedPct: 0, ended: true });

    const csv = reportCsv(report, hqCsvLabels('en'));
    expect(csv).toContain('Voice fault');
    expect(csv).toMatch(/trunk-x,Trunk X,trunk-x,One-way audio \/ no media,[^,]+,[^,]+,2,0,/);

    const exported = await station.call<{ path: string }>('reports.exportTmf621', period);
    const tickets = JSON.parse(readFileSync(exported.path, 'utf8')) as Record<string, unknown>[];
    const voice = tickets.filter((t) => t.ticketType === 'voiceQuality');
    expect(voice).toHaveLength(1);
    expect(voice[0]!.description).toMatch(
      /one-way audio \/ no media \d{4}-\d\d-\d\d \d\d:\d\d(–\d{4}-\d\d-\d\d \d\d:\d\d)? on Trunk X, 2 test calls, 0 % media received/,
    );
    expect(voice[0]!.status).toBe('resolved');
  });
});
