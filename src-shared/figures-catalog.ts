/**
 * Which lines a facility has and which unit each serves, as a fact in the log
 * (`facility.lines_declared`). Line events name only a line id; figures per unit and
 * line names at HQ need this mapping, and the tracker never sees a facility's config
 * file. A console records it when its config loads and differs from the latest one.
 */
import { z } from 'zod';
import { LINE_CRITICALITIES, LINE_KINDS } from './facility-config.ts';

export const CatalogLine = z.object({
  id: z.string().max(64),
  name: z.string().max(120),
  unit: z.string().max(64),
  kind: z.enum(LINE_KINDS),
  criticality: z.enum(LINE_CRITICALITIES),
  via: z.string().max(64).nullable(),
});
export type CatalogLine = z.infer<typeof CatalogLine>;

export const LinesDeclaredPayload = z.object({
  facilityId: z.string().max(64),
  facilityName: z.string().max(120),
  units: z.array(z.object({ id: z.string().max(64), name: z.string().max(120) })).max(500),
  lines: z.array(CatalogLine).max(2000),
});
export type LinesDeclaredPayload = z.infer<typeof LinesDeclaredPayload>;
export type LineCatalog = LinesDeclaredPayload;

export function catalogStreamId(facilityId: string): string {
  return `catalog:${facilityId}`;
}

/** Same lines, units and names, whatever their order: no new declaration needed. */
export function sameCatalog(a: LineCatalog | null, b: LineCatalog): boolean {
  if (!a) return false;
  const key = (c: LineCatalog) =>
    JSON.stringify([
      c.facilityId,
      c.facilityName,
      [...c.units].sort((x, y) => (x.id < y.id ? -1 : 1)),
      [...c.lines]
        .sort((x, y) => (x.id < y.id ? -1 : 1))
        .map((l) => [l.id, l.name, l.unit, l.kind, l.criticality, l.via]),
    ]);
  return key(a) === key(b);
}
