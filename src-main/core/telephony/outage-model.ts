/**
 * When line states change, which outages open, grow or close. Pure: callers pass the
 * current line states and open outages (from the projections) and turn the returned
 * actions into events.
 *
 * - A critical line going DOWN opens an outage, unless it already belongs to one.
 * - Lines that share a trunk (their `via`, or the trunk line itself) and go DOWN
 *   within the grouping window of that outage's opening join it: one root cause, one
 *   outage. Lines of the group already DOWN within the window are taken in at opening.
 * - An outage resolves when every one of its lines is UP again.
 * - A guard's report on a line that is not in an open outage opens a `reported` one.
 */
import { v5 as uuidv5 } from 'uuid';
import type { LineState } from '../../../src-shared/telephony.ts';
import type { LineConfig } from '../../../src-shared/facility-config.ts';
import type { OutageCause, OutageKind } from '../../../src-shared/outages.ts';

export type LineInfo = Pick<LineConfig, 'id' | 'kind' | 'criticality' | 'via'>;

export interface LineNow {
  state: LineState;
  since: number | null;
}

export interface OpenOutage {
  id: string;
  kind: OutageKind;
  trunk: string | null;
  lineIds: readonly string[];
  openedAt: number;
  /** Whose probes the outage already holds, per line (fold-stamped device ids). */
  evidence?: readonly { lineId: string; deviceId?: string | undefined }[];
}

export type OutageAction =
  | { type: 'open'; cause: OutageCause; trunk: string | null; lineIds: string[] }
  | { type: 'join'; outageId: string; lineId: string }
  | { type: 'resolve'; outageId: string; reason: 'recovered' | 'lines_removed' };

/**
 * One outage per failure, however many consoles watch it (issue 12, item 7).
 *
 * Every console of a facility probes the same trunks and critical lines, so when one
 * fails they all see it within a probe interval, usually before they have exchanged a
 * single event. Each opening an outage with its own random id would count one failure
 * once per console in figures, reports, HQ and the TMF621 export. Instead the id of an
 * automatic outage is derived from what the consoles agree on:
 *
 *   UUIDv5(facility, failure key, predecessor)
 *
 * - failure key: the trunk the failing lines share, or the line itself when it has no
 *   trunk (`outageKey`);
 * - predecessor: the id of the most recent automatic outage with that key in the log
 *   ('first' when none). The log converges across consoles, so consoles that had
 *   exchanged their events before the failure name the same predecessor and therefore
 *   derive the same id: their `outage.opened` events land in one stream, and the fold
 *   (outage-fold.ts) merges them into one outage carrying every console's evidence.
 *
 * Limit: two consoles that were cut off from each other (no tracker, no LAN) across a
 * whole earlier episode may name different predecessors, and then still open two
 * outages for one failure. Guard reports keep random ids: each report is its own fact.
 */
const OUTAGE_NAMESPACE = '6f1c3c52-9f0e-4d8e-b7d2-2b8f7c1a9e41';

export function outageKey(trunk: string | null, lineIds: readonly string[]): string {
  return trunk ?? lineIds[0] ?? '';
}

export function automaticOutageId(facilityId: string, key: string, predecessorId: string | null): string {
  return uuidv5(['outage', facilityId, key, predecessorId ?? 'first'].join('/'), OUTAGE_NAMESPACE);
}

/** The trunk a line's calls depend on: its `via`, or itself when it is a trunk. */
export function trunkOf(line: LineInfo): string | null {
  return line.via ?? (line.kind === 'trunk' ? line.id : null);
}

export interface TransitionInput {
  lineId: string;
  to: LineState;
  at: number;
  lines: ReadonlyMap<string, LineInfo>;
  /** Every line's state with this transition already applied. */
  states: ReadonlyMap<string, LineNow>;
  open: readonly OpenOutage[];
  windowMs: number;
  /** This console: a line already in an outage without this console's evidence gets it added. */
  deviceId?: string;
}

export function outageActionsForTransition(input: TransitionInput): OutageAction[] {
  const line = input.lines.get(input.lineId);
  if (!line) return [];
  if (input.to === 'UP') return resolutions(input.lineId, input.states, input.open);
  if (input.to !== 'DOWN') return [];
  const holding = input.open.find((o) => o.lineIds.includes(line.id));
  if (holding) {
    // Another console opened it first (and its events reached us): add our own probe as evidence.
    const witnessed =
      input.deviceId === undefined ||
      (holding.evidence ?? []).some((e) => e.lineId === line.id && e.deviceId === input.deviceId);
    return witnessed ? [] : [{ type: 'join', outageId: holding.id, lineId: line.id }];
  }

  const trunk = trunkOf(line);
  if (trunk !== null) {
    const group = input.open
      .filter((o) => o.kind === 'automatic' && o.trunk === trunk && input.at - o.openedAt <= input.windowMs)
      .sort((a, b) => b.openedAt - a.openedAt)[0];
    if (group) return [{ type: 'join', outageId: group.id, lineId: line.id }];
  }
  if (line.criticality !== 'critical') return [];

  const inOutage = new Set(input.open.flatMap((o) => o.lineIds));
  const siblings =
    trunk === null
      ? []
      : [...input.lines.values()].filter((other) => {
          if (other.id === line.id || trunkOf(other) !== trunk || inOutage.has(other.id)) return false;
          const now = input.states.get(other.id);
          return now?.state === 'DOWN' && now.since !== null && input.at - now.since <= input.windowMs;
        });
  const lineIds = [line.id, ...siblings.map((s) => s.id)];
  const cause: OutageCause = trunk !== null && lineIds.includes(trunk) ? 'trunk_down' : 'lines_down';
  return [{ type: 'open', cause, trunk, lineIds }];
}

function resolutions(
  lineId: string,
  states: ReadonlyMap<string, LineNow>,
  open: readonly OpenOutage[],
): OutageAction[] {
  return open
    .filter((o) => o.lineIds.includes(lineId) && o.lineIds.every((id) => states.get(id)?.state === 'UP'))
    .map((o) => ({ type: 'resolve', outageId: o.id, reason: 'recovered' }));
}

/** After a config reload: outages whose remaining lines are all UP (or gone) close. */
export function outageActionsForReload(
  lines: ReadonlyMap<string, LineInfo>,
  states: ReadonlyMap<string, LineNow>,
  open: readonly OpenOutage[],
): OutageAction[] {
  return open
    .filter((o) => o.lineIds.some((id) => !lines.has(id)))
    .filter((o) => o.lineIds.every((id) => !lines.has(id) || states.get(id)?.state === 'UP'))
    .map((o) => ({ type: 'resolve', outageId: o.id, reason: 'lines_removed' }));
}

/** A guard's report: the line's open outage, or a new `reported` outage. */
export function outageForReport(
  lineId: string,
  lines: ReadonlyMap<string, LineInfo>,
  open: readonly OpenOutage[],
): { existing: string } | { open: { cause: 'reported'; trunk: string | null; lineIds: string[] } } {
  const current = open.find((o) => o.lineIds.includes(lineId));
  if (current) return { existing: current.id };
  const line = lines.get(lineId);
  return { open: { cause: 'reported', trunk: line ? trunkOf(line) : null, lineIds: [lineId] } };
}

/** Staff use the reserve procedure while a critical line is DOWN or a confirmed outage hits one. */
export function fallbackActive(
  lines: ReadonlyMap<string, LineInfo>,
  states: ReadonlyMap<string, LineNow>,
  open: readonly (OpenOutage & { confirmed: boolean })[],
): boolean {
  const critical = (id: string) => lines.get(id)?.criticality === 'critical';
  for (const [id, now] of states) if (now.state === 'DOWN' && critical(id)) return true;
  return open.some((o) => o.kind === 'reported' && o.confirmed && o.lineIds.some(critical));
}
