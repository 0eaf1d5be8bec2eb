/** Who a level notifies: its targets resolved against the roster as it is at that moment. */
import type { EscalationLevel } from '../../../src-shared/escalation.ts';
import type { Roster } from '../auth/index.ts';

export function resolveTargets(level: EscalationLevel, unit: string, roster: Roster): string[] {
  const found = new Set<string>();
  for (const target of level.targets) {
    if (target.kind === 'staff') {
      for (const n of target.staffNumbers) found.add(n);
    } else {
      const staff = roster.withRole(target.role, target.scope === 'unit' ? unit : undefined);
      for (const s of staff) found.add(s.staffNumber);
    }
  }
  return [...found].sort();
}
