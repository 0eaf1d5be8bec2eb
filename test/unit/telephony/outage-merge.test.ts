import { describe, expect, it } from 'vitest';
import {
  automaticOutageId,
  outageActionsForTransition,
  outageKey,
  type LineInfo,
  type LineNow,
} from '../../../src-main/core/telephony/outage-model.ts';
import { foldOutage } from '../../../src-shared/outage-fold.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';

const evidence = (at: number) => ({
  probeType: 'sip-options' as const,
  ok: false,
  code: 'timeout' as const,
  rttMs: null,
  detail: 'no answer',
  failures: 3,
  firstFailureAt: at - 400,
  lastSuccessAt: at - 600,
  at,
});

function opened(deviceId: string, outageId: string, at: number): EventEnvelope {
  return {
    id: `0190000${at}-0000-7000-8000-${deviceId.padStart(12, '0')}`.slice(0, 36),
    streamId: outageId,
    type: 'outage.opened',
    payload: {
      facilityId: 'kumla',
      outageId,
      kind: 'automatic',
      cause: 'trunk_down',
      lineIds: ['trunk'],
      trunk: 'trunk',
      openedAt: at,
      evidence: [{ lineId: 'trunk', evidence: evidence(at) }],
      report: null,
    },
    actor: 'system:monitor',
    deviceId,
    deviceTime: at,
    hlc: encodeHlc({ wallMs: at, counter: 0, node: deviceId }),
  };
}

describe('one outage per failure', () => {
  it('derives the same outage id on every console from facility, trunk and predecessor', () => {
    const key = outageKey('trunk', ['trunk', 'desk-a']);
    expect(key).toBe('trunk');
    expect(outageKey(null, ['emergency'])).toBe('emergency');
    const first = automaticOutageId('kumla', key, null);
    expect(automaticOutageId('kumla', key, null)).toBe(first);
    expect(automaticOutageId('kumla', key, first)).not.toBe(first);
    expect(automaticOutageId('hall', key, null)).not.toBe(first);
  });

  it('folds two consoles’ openings into one outage with both consoles’ evidence and the earliest start', () => {
    const id = automaticOutageId('kumla', 'trunk', null);
    const events = [opened('000000000b', id, 1_800_000_000_400), opened('000000000a', id, 1_800_000_000_000)];
    const outage = foldOutage(events)!;
    expect(outage.openedAt).toBe(1_800_000_000_000);
    expect(outage.lineIds).toEqual(['trunk']);
    expect(outage.evidence.map((e) => e.deviceId).sort()).toEqual(['000000000a', '000000000b']);
    // Arrival order does not matter.
    expect(foldOutage([...events].reverse())).toEqual(outage);
  });

  it('adds this console’s probe to an outage another console opened, once', () => {
    const lines = new Map<string, LineInfo>([
      ['trunk', { id: 'trunk', kind: 'trunk', criticality: 'critical', via: null }],
    ]);
    const states = new Map<string, LineNow>([['trunk', { state: 'DOWN', since: 1_000 }]]);
    const open = [
      {
        id: 'o1',
        kind: 'automatic' as const,
        trunk: 'trunk',
        lineIds: ['trunk'],
        openedAt: 900,
        evidence: [{ lineId: 'trunk', deviceId: 'ws-a' }],
      },
    ];
    const input = { lineId: 'trunk', to: 'DOWN' as const, at: 1_000, lines, states, open, windowMs: 30_000 };
    expect(outageActionsForTransition({ ...input, deviceId: 'ws-b' })).toEqual([
      { type: 'join', outageId: 'o1', lineId: 'trunk' },
    ]);
    expect(outageActionsForTransition({ ...input, deviceId: 'ws-a' })).toEqual([]);
  });
});
