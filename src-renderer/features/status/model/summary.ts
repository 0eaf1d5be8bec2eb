/**
 * The one line the status strip says about the whole facility: the worst state and
 * which lines are in it ("Ur funktion: Larmlinje"), or that all lines work.
 */
import type { LineState, LineView } from '../../../../src-shared/telephony.ts';
import { worstState } from '../../../../src-shared/line-signal.ts';

export type BoardSummary =
  | { kind: 'none' }
  | { kind: 'allUp'; count: number }
  | { kind: 'some'; state: Exclude<LineState, 'UP'>; names: string[]; count: number };

/** Names are listed up to this many; beyond it, a count reads faster. */
const MAX_NAMES = 2;

export function boardSummary(lines: readonly Pick<LineView, 'name' | 'state' | 'criticality'>[]): BoardSummary {
  const worst = worstState(lines.map((l) => l.state));
  if (worst === null) return { kind: 'none' };
  if (worst === 'UP') return { kind: 'allUp', count: lines.length };
  // Critical lines first: they decide the fallback.
  const hit = lines
    .filter((l) => l.state === worst)
    .sort((a, b) => Number(b.criticality === 'critical') - Number(a.criticality === 'critical'));
  return {
    kind: 'some',
    state: worst,
    names: hit.length <= MAX_NAMES ? hit.map((l) => l.name) : [],
    count: hit.length,
  };
}

/** The facility's reserve procedure in the page's language, else whichever text exists. */
export function reserveText(procedure: string | { sv?: string; en?: string } | null, lng: string): string | null {
  if (procedure === null) return null;
  if (typeof procedure === 'string') return procedure;
  const own = lng.startsWith('en') ? procedure.en : procedure.sv;
  return own ?? procedure.sv ?? procedure.en ?? null;
}
