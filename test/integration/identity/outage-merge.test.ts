/**
 * One outage per failure (issue 12, item 7): two consoles of one facility probe the same
 * SIP trunk with real OPTIONS requests over UDP on 127.0.0.1; the trunk stops answering.
 * Both detect it, each records its own evidence, and the facility ends up with one outage
 * — in both consoles' reports, at the tracker's HQ list, report and TMF621 export.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackerClient } from '../tracker/http-client.ts';
import { hqAdmin, FACILITY, enrol, enrolmentCode, waitForSync } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';
import { responseTo, startUdpEndpoint } from '../../lab/scripted-endpoint.ts';
import { waitFor, waitForLineState, waitForOpenOutage, waitForOutageStatus } from '../../lab/line-watch.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';

const FAST = { intervalMs: 200, timeoutMs: 100, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 };
const WAIT = 20_000;

const lab = syncLab('guardline-outage-merge-', { closeAfter: 'each' });

function writeConfig(file: string, port: number) {
  const probe = { type: 'sip-options', host: '127.0.0.1', port, transport: 'udp' };
  writeFileSync(
    file,
    JSON.stringify({
      facility: { id: 'kumla', name: 'Kumlaanstalten' },
      units: [{ id: 'a', name: 'Avdelning A' }],
      lines: [{ id: 'trunk', name: 'SIP-trunk', unit: 'a', kind: 'trunk', criticality: 'critical', probe }],
      probeDefaults: FAST,
      reserveProcedure: { sv: 'Radio kanal 3', en: 'Radio channel 3' },
    }),
  );
}

const devicesIn = (o: Outage) => [...new Set(o.evidence.map((e) => e.deviceId))].sort();

describe('one outage per failure', () => {
  it('merges two consoles’ detections of one failing trunk into one outage, counted once everywhere', async () => {
    const healthy = { ok: true };
    const endpoint = await startUdpEndpoint((req) => (healthy.ok ? [responseTo(req)] : []));
    lab.closeBeforeTracker(() => endpoint.close());
    const config = join(lab.dir, 'guardline.config.json');
    writeConfig(config, endpoint.port);
    const tracker = await lab.startTracker();

    const a = await lab.syncConsole('a', { telephony: { configFile: config, pushDelayMs: 20 } });
    const b = await lab.syncConsole('b', { telephony: { configFile: config, pushDelayMs: 20 } });
    for (const c of [a, b]) {
      await c.core.ready;
      await enrol(c, tracker.url, await enrolmentCode(tracker.url));
      await waitForLineState(c.core, 'trunk', 'UP', WAIT);
    }
    const from = Date.now() - 1_000;

    healthy.ok = false;
    const [seenByA, seenByB] = await Promise.all([
      waitForOpenOutage(a.core, 'trunk', WAIT),
      waitForOpenOutage(b.core, 'trunk', WAIT),
    ]);
    // Derived from facility, trunk and predecessor: both consoles opened the same outage.
    expect(seenByB.id).toBe(seenByA.id);
    const both = [a.core.identity.deviceId, b.core.identity.deviceId].sort();
    for (const c of [a, b]) {
      await waitFor(
        c.core,
        'both consoles’ evidence in the outage',
        () => c.core.telephony.outages(false, 100).find((o) => o.id === seenByA.id && devicesIn(o).length === 2),
        WAIT,
      );
    }

    healthy.ok = true;
    for (const c of [a, b]) await waitForOutageStatus(c.core, seenByA.id, 'resolved', WAIT);
    for (const c of [a, b]) {
      await waitForSync(c, (s) => s.state === 'live' && s.pending === 0, 'the console to be in step with the tracker');
    }
    const to = Date.now() + 1_000;

    for (const c of [a, b]) {
      const outages = c.core.telephony.outages(false, 100);
      expect(outages).toHaveLength(1);
      expect(outages[0]).toMatchObject({ id: seenByA.id, status: 'resolved', lineIds: ['trunk'] });
      expect(devicesIn(outages[0]!)).toEqual(both);
      const report = await c.call<PeriodReport>('reports.period', { from, to });
      expect(report.outages.map((o) => o.outage.id)).toEqual([seenByA.id]);
      expect(report.totals.outageCount).toBe(1);
    }

    const hq = trackerClient(tracker.url);
    const listed = await hq.get<{ outages: Outage[] }>(
      `/v1/hq/outages?facility=${encodeURIComponent(FACILITY)}`,
      await hqAdmin(tracker.url),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.outages.map((o) => o.id)).toEqual([seenByA.id]);
    expect(devicesIn(listed.body.outages[0]!)).toEqual(both);
    const period = `from=${from}&to=${to}&facility=${encodeURIComponent(FACILITY)}`;
    const report = await hq.get<{ report: PeriodReport }>(`/v1/hq/report?${period}`, await hqAdmin(tracker.url));
    expect(report.body.report.totals.outageCount).toBe(1);
    const tmf = await hq.get<unknown>(`/v1/hq/export.tmf621?${period}`, await hqAdmin(tracker.url));
    expect(tmf.status).toBe(200);
    const tickets = Array.isArray(tmf.body) ? tmf.body : (tmf.body as { tickets: unknown[] }).tickets;
    expect(tickets).toHaveLength(1);
  });
});
