/** The status board and line detail as the renderer gets them: config + live trackers + projections. */
import type { FacilityConfig } from '../../../src-shared/facility-config.ts';
import type { LineBoard, LineHistory, LineView } from '../../../src-shared/telephony.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import type { LineQueries, StoredLineStatus } from './line-projection.ts';
import type { ProbeSamples } from './probe-samples.ts';
import type { LineTracker } from './hysteresis.ts';
import { fallbackActive } from './outage-model.ts';

export interface BoardSources {
  config: FacilityConfig | null;
  tracker(lineId: string): LineTracker | undefined;
  stored: ReadonlyMap<string, StoredLineStatus>;
  open: readonly Outage[];
  demo: boolean;
}

export function lineView(src: BoardSources, lineId: string): LineView | null {
  const line = src.config?.lines.find((l) => l.id === lineId);
  if (!line) return null;
  const t = src.tracker(lineId);
  const stored = src.stored.get(lineId);
  const last = t?.last ?? null;
  return {
    id: line.id,
    name: line.name,
    unit: line.unit,
    kind: line.kind,
    criticality: line.criticality,
    via: line.via,
    probeType: line.probe?.type ?? 'none',
    state: t?.state ?? stored?.state ?? 'UNKNOWN',
    since: t?.since ?? stored?.since ?? null,
    lastCheckAt: last?.at ?? null,
    rttMs: last?.rttMs ?? null,
    code: last?.code ?? stored?.evidence?.code ?? 'no_probe',
    detail: last?.detail ?? stored?.evidence?.detail ?? '',
    failures: t?.failures ?? 0,
    lastSuccessAt: t?.lastSuccessAt ?? stored?.evidence?.lastSuccessAt ?? null,
    openOutageId: src.open.find((o) => o.lineIds.includes(line.id))?.id ?? null,
    lastReport: stored?.lastReport ?? null,
  };
}

export function isFallbackActive(src: BoardSources, views: readonly LineView[]): boolean {
  if (!src.config) return false;
  const lines = new Map(src.config.lines.map((l) => [l.id, l]));
  const states = new Map(views.map((v) => [v.id, { state: v.state, since: v.since }]));
  return fallbackActive(
    lines,
    states,
    src.open.map((o) => ({ ...o, confirmed: o.confirmed !== null })),
  );
}

export function buildBoard(src: BoardSources): LineBoard {
  const config = src.config;
  if (!config) {
    return { facility: null, units: [], lines: [], fallbackActive: false, reserveProcedure: null, demo: src.demo };
  }
  const lines = config.lines.map((l) => lineView(src, l.id)!);
  return {
    facility: config.facility,
    units: config.units,
    lines,
    fallbackActive: isFallbackActive(src, lines),
    reserveProcedure: config.reserveProcedure,
    demo: src.demo,
  };
}

export function buildHistory(
  facilityId: string,
  lineId: string,
  limit: number,
  queries: LineQueries,
  samples: ProbeSamples,
): LineHistory {
  return {
    lineId,
    transitions: queries.transitions(facilityId, lineId, limit),
    samples: samples.recent(facilityId, lineId, limit),
    reports: queries.reports(facilityId, lineId, limit),
  };
}
