import { describe, expect, it } from 'vitest';
import type { Outage } from '../../../src-shared/outages.ts';
import {
  decisionsFor,
  lineNames,
  outageDurationMs,
  sortOutages,
} from '../../../src-renderer/features/outages/model/outage-view.ts';

function outage(overrides: Partial<Outage> & { id: string }): Outage {
  return {
    facilityId: 'demo',
    kind: 'automatic',
    cause: 'lines_down',
    status: 'open',
    lineIds: ['emergency'],
    trunk: null,
    openedAt: 1_000,
    openedBy: 'device',
    resolvedAt: null,
    durationMs: null,
    resolution: null,
    confirmed: null,
    dismissed: null,
    evidence: [],
    report: null,
    openedHlc: '0',
    updatedHlc: '0',
    ...overrides,
  };
}

describe('outage view', () => {
  it('counts an open outage up to now and a closed one by its recorded duration', () => {
    expect(outageDurationMs(outage({ id: 'a' }), 61_000)).toBe(60_000);
    expect(
      outageDurationMs(outage({ id: 'b', status: 'resolved', resolvedAt: 9_000, durationMs: 8_000 }), 99_000),
    ).toBe(8_000);
    expect(outageDurationMs(outage({ id: 'c', status: 'dismissed' }), 99_000)).toBeNull();
  });

  it('offers confirm and dismiss on an open reported outage, resolve once confirmed, nothing on measured ones', () => {
    expect(decisionsFor(outage({ id: 'a', kind: 'reported' }))).toEqual(['confirm', 'dismiss']);
    expect(decisionsFor(outage({ id: 'b', kind: 'reported', confirmed: { by: 'S1', at: 2, text: '' } }))).toEqual([
      'resolve',
    ]);
    expect(decisionsFor(outage({ id: 'c', kind: 'reported', status: 'dismissed' }))).toEqual([]);
    expect(decisionsFor(outage({ id: 'd' }))).toEqual([]);
  });

  it('names lines, keeping the id of a line the config no longer has', () => {
    expect(lineNames(['emergency', 'gone'], new Map([['emergency', 'Larmlinje']]))).toBe('Larmlinje, gone');
  });

  it('lists open outages first, longest running first, then the rest newest first', () => {
    const sorted = sortOutages([
      outage({ id: 'old-closed', status: 'resolved', openedAt: 1 }),
      outage({ id: 'open-late', openedAt: 50 }),
      outage({ id: 'new-closed', status: 'resolved', openedAt: 40 }),
      outage({ id: 'open-early', openedAt: 10 }),
    ]);
    expect(sorted.map((o) => o.id)).toEqual(['open-early', 'open-late', 'new-closed', 'old-closed']);
  });
});
