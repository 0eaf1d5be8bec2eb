import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { foldOutage } from '../../../src-tracker/projections/outages.ts';

function ev(type: string, wallMs: number, payload: unknown): EventEnvelope {
  return {
    id: `0192a0c0-0000-7000-8000-${String(wallMs).padStart(12, '0')}`,
    streamId: 'outage-1',
    type: type as EventEnvelope['type'],
    payload,
    actor: 'monitor',
    deviceId: 'ws-1',
    deviceTime: wallMs,
    hlc: encodeHlc({ wallMs, counter: 0, node: 'ws-1' }),
  };
}

describe('generic outage fold', () => {
  it('merges payloads in HLC order and closes on a closing event, whatever the arrival order', () => {
    const opened = ev('outage.opened', 100, { trunk: 'SIP-1', lines: ['B-1'] });
    const grew = ev('outage.updated', 200, { lines: ['B-1', 'B-2'] });
    const closed = ev('outage.closed', 300, { cause: 'carrier' });
    expect(foldOutage('Kumla', [closed, opened, grew])).toMatchObject({
      id: 'outage-1',
      status: 'closed',
      openedHlc: opened.hlc,
      updatedHlc: closed.hlc,
      lastType: 'outage.closed',
      events: 3,
      details: { trunk: 'SIP-1', lines: ['B-1', 'B-2'], cause: 'carrier' },
    });
    expect(foldOutage('Kumla', [opened, grew])?.status).toBe('open');
  });

  it('folds nothing into nothing', () => {
    expect(foldOutage('Kumla', [])).toBeNull();
  });
});
