/**
 * How an outage reads in the list: line names instead of ids, how long it lasted (or
 * has lasted so far), and which decisions a supervisor may take on it.
 */
import type { Outage } from '../../../../src-shared/outages.ts';

export type OutageDecision = 'confirm' | 'dismiss' | 'resolve';

/** Milliseconds the outage lasted, or has lasted until `now` while open. */
export function outageDurationMs(
  outage: Pick<Outage, 'openedAt' | 'durationMs' | 'resolvedAt' | 'status'>,
  now: number,
) {
  if (outage.durationMs !== null) return outage.durationMs;
  if (outage.resolvedAt !== null) return Math.max(0, outage.resolvedAt - outage.openedAt);
  return outage.status === 'open' ? Math.max(0, now - outage.openedAt) : null;
}

/**
 * Measured outages close by measurement only; a reported one waits for a supervisor:
 * confirm or dismiss it, and once confirmed, resolve it when the phones work again.
 */
export function decisionsFor(outage: Pick<Outage, 'kind' | 'status' | 'confirmed'>): OutageDecision[] {
  if (outage.kind !== 'reported' || outage.status !== 'open') return [];
  return outage.confirmed ? ['resolve'] : ['confirm', 'dismiss'];
}

export function lineNames(lineIds: readonly string[], names: ReadonlyMap<string, string>): string {
  return lineIds.map((id) => names.get(id) ?? id).join(', ');
}

/** Open outages first (oldest first: the longest running matters most), then the rest newest first. */
export function sortOutages(outages: readonly Outage[]): Outage[] {
  const open = outages.filter((o) => o.status === 'open').sort((a, b) => a.openedAt - b.openedAt);
  const rest = outages.filter((o) => o.status !== 'open').sort((a, b) => b.openedAt - a.openedAt);
  return [...open, ...rest];
}
