import { describe, expect, it } from 'vitest';
import { foldOutage } from '../../../src-shared/outage-fold.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';

const OUTAGE = '0192a0c0-0000-7000-8000-0000000000aa';
let n = 0;
function ev(
  type: EventEnvelope['type'],
  wallMs: number,
  deviceId: string,
  payload: unknown,
  actor = 'system:monitor',
): EventEnvelope {
  n += 1;
  return {
    id: `0192a0c0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    streamId: OUTAGE,
    type,
    payload,
    actor,
    deviceId,
    deviceTime: wallMs,
    hlc: encodeHlc({ wallMs, counter: 0, node: deviceId }),
  };
}
const evidence = {
  probeType: 'sip-options',
  ok: false,
  code: 'timeout',
  rttMs: null,
  detail: 'x',
  failures: 3,
  firstFailureAt: 1,
  lastSuccessAt: 0,
  at: 3,
} as const;
const opened = ev('outage.opened', 100, 'dev-a', {
  facilityId: 'f',
  outageId: OUTAGE,
  kind: 'automatic',
  cause: 'trunk_down',
  lineIds: ['trunk'],
  trunk: 'trunk',
  openedAt: 100,
  evidence: [{ lineId: 'trunk', evidence }],
  report: null,
});

describe('outage fold', () => {
  it('folds opening, joins and resolution into one outage', () => {
    const joined = ev('outage.line_joined', 200, 'dev-a', { outageId: OUTAGE, lineId: 'desk-a', at: 200, evidence });
    const resolved = ev('outage.resolved', 900, 'dev-a', {
      outageId: OUTAGE,
      resolvedAt: 900,
      durationMs: 800,
      reason: 'recovered',
      note: '',
    });
    const o = foldOutage([resolved, joined, opened]);
    expect(o).toMatchObject({
      id: OUTAGE,
      status: 'resolved',
      lineIds: ['trunk', 'desk-a'],
      durationMs: 800,
      resolution: 'recovered',
      openedBy: 'system:monitor',
    });
    expect(o?.evidence.map((e) => e.lineId)).toEqual(['trunk', 'desk-a']);
  });

  it('names the trunk as the cause once the trunk line itself joins', () => {
    const byLines = ev('outage.opened', 100, 'dev-a', {
      ...(opened.payload as object),
      cause: 'lines_down',
      lineIds: ['desk-a'],
      evidence: [{ lineId: 'desk-a', evidence }],
    });
    expect(foldOutage([byLines])?.cause).toBe('lines_down');
    const trunkJoined = ev('outage.line_joined', 200, 'dev-a', {
      outageId: OUTAGE,
      lineId: 'trunk',
      at: 200,
      evidence,
    });
    expect(foldOutage([byLines, trunkJoined])?.cause).toBe('trunk_down');
  });

  it('keeps the first resolution when two consoles both resolve it', () => {
    const a = ev('outage.resolved', 900, 'dev-a', {
      outageId: OUTAGE,
      resolvedAt: 900,
      durationMs: 800,
      reason: 'recovered',
    });
    const b = ev('outage.resolved', 950, 'dev-b', {
      outageId: OUTAGE,
      resolvedAt: 950,
      durationMs: 850,
      reason: 'recovered',
    });
    expect(foldOutage([b, opened, a])?.durationMs).toBe(800);
    expect(foldOutage([a, b, opened])?.durationMs).toBe(800);
  });

  it('records who confirmed or dismissed a reported outage', () => {
    const confirmed = ev('outage.confirmed', 300, 'dev-a', { outageId: OUTAGE, at: 300, note: 'checked' }, 'sup-1');
    const dismissed = ev(
      'outage.dismissed',
      400,
      'dev-a',
      { outageId: OUTAGE, at: 400, reason: 'false alarm' },
      'sup-2',
    );
    const o = foldOutage([opened, confirmed, dismissed]);
    expect(o).toMatchObject({
      status: 'dismissed',
      confirmed: { by: 'sup-1', at: 300, text: 'checked' },
      dismissed: { by: 'sup-2', text: 'false alarm' },
      durationMs: 300,
    });
  });

  it('is null until the opening event has arrived', () => {
    expect(
      foldOutage([ev('outage.line_joined', 200, 'dev-a', { outageId: OUTAGE, lineId: 'x', at: 200, evidence })]),
    ).toBeNull();
  });
});
