/**
 * Which line the "report phone problem" dialog offers first: the guard's own unit's
 * critical line (the one they would pick up in an emergency), so the common report
 * takes three keystrokes. The console knows its unit by name (launch option), the
 * config by id; either matches.
 */
import type { LineView } from '../../../../src-shared/telephony.ts';

export function unitIdFor(units: readonly { id: string; name: string }[], unit: string | null): string | null {
  if (!unit) return null;
  const wanted = unit.trim().toLowerCase();
  return units.find((u) => u.id.toLowerCase() === wanted || u.name.toLowerCase() === wanted)?.id ?? null;
}

export function defaultReportLine(
  board: { units: readonly { id: string; name: string }[]; lines: readonly LineView[] },
  unit: string | null,
): string | null {
  const unitId = unitIdFor(board.units, unit);
  const own = board.lines.filter((l) => l.unit === unitId);
  const pick =
    own.find((l) => l.criticality === 'critical') ??
    own[0] ??
    board.lines.find((l) => l.criticality === 'critical') ??
    board.lines[0];
  return pick?.id ?? null;
}
