/**
 * The facility and the day of outages the report tests share: three critical desk lines
 * on two units, probed by a runner that always answers (so only the seeded facts move
 * the figures), a1 DOWN 10-12 and a2 DOWN 11-13 (outage `o1`), b1 DOWN from 22 (outage
 * `o2`, back at 26 unless `b1Recovers` is false).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeRunner } from '../../../src-main/core/telephony/index.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { enrol, enrolmentCode, waitForSync } from '../sync/sync-lab.ts';
import type { SyncLab } from '../sync/sync-lab-scope.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { FACILITY, automaticOutage, lineChange } from '../../unit/reports/fixtures.ts';

export const alwaysUp: ProbeRunner = async () => ({
  ok: true,
  state: 'up',
  code: 'sip_status',
  rttMs: 1,
  detail: '200 OK',
  at: Date.now(),
});

export function writeReportConfig(file: string, timeoutMs = 100): void {
  const line = (id: string, name: string, unit: string) => ({
    id,
    name,
    unit,
    kind: 'desk',
    criticality: 'critical',
    probe: { type: 'sip-options', host: '127.0.0.1', port: 9 },
  });
  writeFileSync(
    file,
    JSON.stringify({
      facility: { id: FACILITY, name: 'Kumlaanstalten' },
      units: [
        { id: 'a', name: 'Avdelning A' },
        { id: 'b', name: 'Avdelning B' },
      ],
      lines: [line('a1', 'A vakt', 'a'), line('a2', 'A expedition', 'a'), line('b1', 'B vakt', 'b')],
      probeDefaults: { intervalMs: 60_000, timeoutMs, downThreshold: 3, upThreshold: 1, jitterRatio: 0 },
      reserveProcedure: { sv: 'Radio kanal 3', en: 'Radio channel 3' },
    }),
  );
}

export function outageDay(o1: string, o2: string, { b1Recovers = true } = {}): EventEnvelope[] {
  return [
    lineChange('a1', 'UNKNOWN', 'UP', -5),
    lineChange('a2', 'UNKNOWN', 'UP', -5),
    lineChange('b1', 'UNKNOWN', 'UP', 6),
    lineChange('a1', 'UP', 'DOWN', 10),
    ...automaticOutage(['a1', 'a2'], 10, 13, { id: o1 }),
    lineChange('a2', 'UP', 'DOWN', 11),
    lineChange('a1', 'DOWN', 'UP', 12),
    lineChange('a2', 'DOWN', 'UP', 13),
    lineChange('b1', 'UP', 'DOWN', 22),
    ...(b1Recovers
      ? [...automaticOutage(['b1'], 22, 26, { id: o2 }), lineChange('b1', 'DOWN', 'UP', 26)]
      : automaticOutage(['b1'], 22, null, { id: o2 })),
  ];
}

/** The report facility's console `kumla` in a sync lab: this facility's config, probes that always answer, ready. */
export async function reportConsole(lab: SyncLab): Promise<TestConsole> {
  const config = join(lab.dir, 'guardline.config.json');
  writeReportConfig(config);
  const c = await lab.syncConsole('kumla', { telephony: { configFile: config, runProbe: alwaysUp } });
  await c.core.ready;
  return c;
}

/** Enrol the console with the lab's tracker and wait until it has pushed everything it holds. */
export async function enrolAndPushAll(lab: SyncLab, c: TestConsole): Promise<void> {
  await enrol(c, lab.tracker.url, await enrolmentCode(lab.tracker.url));
  await waitForSync(c, (s) => s.pending === 0 && s.lastSuccessAt !== null, 'everything pushed', 30_000);
}
