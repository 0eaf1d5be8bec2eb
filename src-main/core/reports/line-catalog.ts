/**
 * Records the facility's line catalogue (`facility.lines_declared`) when the loaded
 * config differs from the latest one in the log, so HQ can name lines and group them
 * by unit without ever seeing the config file.
 */
import type { LineBoard } from '../../../src-shared/telephony.ts';
import { catalogStreamId, sameCatalog, type LineCatalog } from '../../../src-shared/figures-catalog.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { ReportSource } from './report-source.ts';

/** Who the catalogue's events are from: the config, not a person. */
export const CATALOG_ACTOR = 'system:config';

export function catalogOf(board: LineBoard): LineCatalog | null {
  if (!board.facility) return null;
  return {
    facilityId: board.facility.id,
    facilityName: board.facility.name,
    units: board.units.map((u) => ({ id: u.id, name: u.name })),
    lines: board.lines.map((l) => ({
      id: l.id,
      name: l.name,
      unit: l.unit,
      kind: l.kind,
      criticality: l.criticality,
      via: l.via,
    })),
  };
}

/** Append a declaration if the board's catalogue is new; returns whether it did. */
export function declareLines(deps: { store: EventStore; event: EventFactory; source: ReportSource }, board: LineBoard) {
  const catalog = catalogOf(board);
  if (!catalog || catalog.lines.length === 0) return false;
  if (sameCatalog(deps.source.catalog(catalog.facilityId), catalog)) return false;
  deps.store.append([
    deps.event('facility.lines_declared', catalogStreamId(catalog.facilityId), catalog, CATALOG_ACTOR),
  ]);
  return true;
}
