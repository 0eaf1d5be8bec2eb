import { describe, expect, it } from 'vitest';
import {
  fallbackActive,
  outageActionsForReload,
  outageActionsForTransition,
  outageForReport,
  type LineInfo,
  type LineNow,
  type OpenOutage,
} from '../../../src-main/core/telephony/outage-model.ts';

const line = (id: string, extra: Partial<LineInfo> = {}): LineInfo => ({
  id,
  kind: 'desk',
  criticality: 'normal',
  via: null,
  ...extra,
});
const lines = new Map<string, LineInfo>(
  [
    line('trunk', { kind: 'trunk', criticality: 'critical' }),
    line('desk-a', { via: 'trunk', criticality: 'critical' }),
    line('desk-b', { via: 'trunk' }),
    line('emergency', { kind: 'emergency', criticality: 'critical' }),
    line('intercom'),
  ].map((l) => [l.id, l]),
);
const states = (entries: Record<string, [LineNow['state'], number | null]>) =>
  new Map<string, LineNow>(
    [...lines.keys()].map((id) => [id, { state: entries[id]?.[0] ?? 'UP', since: entries[id]?.[1] ?? 0 }]),
  );
const outage = (id: string, lineIds: string[], extra: Partial<OpenOutage> = {}): OpenOutage => ({
  id,
  kind: 'automatic',
  trunk: 'trunk',
  lineIds,
  openedAt: 10_000,
  ...extra,
});
const base = { lines, windowMs: 30_000 };

describe('outage grouping', () => {
  it('opens an outage when a critical line goes DOWN', () => {
    expect(
      outageActionsForTransition({
        ...base,
        lineId: 'emergency',
        to: 'DOWN',
        at: 10_000,
        states: states({ emergency: ['DOWN', 10_000] }),
        open: [],
      }),
    ).toEqual([{ type: 'open', cause: 'lines_down', trunk: null, lineIds: ['emergency'] }]);
  });

  it('opens nothing when a normal line goes DOWN on its own', () => {
    expect(
      outageActionsForTransition({
        ...base,
        lineId: 'intercom',
        to: 'DOWN',
        at: 1,
        states: states({ intercom: ['DOWN', 1] }),
        open: [],
      }),
    ).toEqual([]);
  });

  it('joins lines behind the same trunk that fall within the window to one outage', () => {
    const open = [outage('o1', ['trunk'])];
    const s = states({ trunk: ['DOWN', 10_000], 'desk-a': ['DOWN', 12_000] });
    expect(outageActionsForTransition({ ...base, lineId: 'desk-a', to: 'DOWN', at: 12_000, states: s, open })).toEqual([
      { type: 'join', outageId: 'o1', lineId: 'desk-a' },
    ]);
    // a normal line behind the trunk joins too: it is hit by the same cause
    expect(outageActionsForTransition({ ...base, lineId: 'desk-b', to: 'DOWN', at: 12_000, states: s, open })).toEqual([
      { type: 'join', outageId: 'o1', lineId: 'desk-b' },
    ]);
  });

  it('opens a new outage for a critical line behind the trunk after the window', () => {
    const open = [outage('o1', ['trunk'])];
    const s = states({ trunk: ['DOWN', 10_000], 'desk-a': ['DOWN', 50_000] });
    expect(outageActionsForTransition({ ...base, lineId: 'desk-a', to: 'DOWN', at: 50_000, states: s, open })).toEqual([
      { type: 'open', cause: 'lines_down', trunk: 'trunk', lineIds: ['desk-a'] },
    ]);
  });

  it('takes in lines of the group that were already DOWN within the window, and names the trunk as cause', () => {
    const s = states({ 'desk-b': ['DOWN', 5_000], trunk: ['DOWN', 9_000], 'desk-a': ['DOWN', 1] });
    const actions = outageActionsForTransition({
      ...base,
      lineId: 'trunk',
      to: 'DOWN',
      at: 9_000,
      states: s,
      open: [],
    });
    expect(actions).toEqual([
      { type: 'open', cause: 'trunk_down', trunk: 'trunk', lineIds: ['trunk', 'desk-a', 'desk-b'] },
    ]);
    const late = outageActionsForTransition({ ...base, lineId: 'trunk', to: 'DOWN', at: 100_000, states: s, open: [] });
    expect(late).toEqual([{ type: 'open', cause: 'trunk_down', trunk: 'trunk', lineIds: ['trunk'] }]);
  });

  it('does nothing for a line already in an open outage', () => {
    const open = [outage('o1', ['trunk', 'desk-a'])];
    expect(
      outageActionsForTransition({ ...base, lineId: 'desk-a', to: 'DOWN', at: 11_000, states: states({}), open }),
    ).toEqual([]);
  });

  it('resolves only when every line of the outage is UP', () => {
    const open = [outage('o1', ['trunk', 'desk-a'])];
    const partly = states({ 'desk-a': ['DOWN', 1] });
    expect(
      outageActionsForTransition({ ...base, lineId: 'trunk', to: 'UP', at: 20_000, states: partly, open }),
    ).toEqual([]);
    expect(
      outageActionsForTransition({ ...base, lineId: 'desk-a', to: 'UP', at: 21_000, states: states({}), open }),
    ).toEqual([{ type: 'resolve', outageId: 'o1', reason: 'recovered' }]);
    const degraded = states({ 'desk-a': ['DEGRADED', 1] });
    expect(
      outageActionsForTransition({ ...base, lineId: 'trunk', to: 'UP', at: 21_000, states: degraded, open }),
    ).toEqual([]);
  });

  it('closes outages whose remaining lines are UP after the config dropped the others', () => {
    const open = [outage('o1', ['gone', 'trunk']), outage('o2', ['gone2', 'desk-a'])];
    expect(outageActionsForReload(lines, states({ 'desk-a': ['DOWN', 1] }), open)).toEqual([
      { type: 'resolve', outageId: 'o1', reason: 'lines_removed' },
    ]);
  });
});

describe('guard reports', () => {
  it('opens a reported outage for a line not in an outage, and attaches to an open one', () => {
    expect(outageForReport('desk-b', lines, [])).toEqual({
      open: { cause: 'reported', trunk: 'trunk', lineIds: ['desk-b'] },
    });
    expect(outageForReport('desk-a', lines, [outage('o1', ['trunk', 'desk-a'])])).toEqual({ existing: 'o1' });
  });
});

describe('fallback', () => {
  it('is active while a critical line is DOWN or a confirmed report hits one', () => {
    expect(fallbackActive(lines, states({}), [])).toBe(false);
    expect(fallbackActive(lines, states({ intercom: ['DOWN', 1] }), [])).toBe(false);
    expect(fallbackActive(lines, states({ emergency: ['DOWN', 1] }), [])).toBe(true);
    const reported = { ...outage('r1', ['emergency'], { kind: 'reported' }), confirmed: false };
    expect(fallbackActive(lines, states({}), [reported])).toBe(false);
    expect(fallbackActive(lines, states({}), [{ ...reported, confirmed: true }])).toBe(true);
  });
});
