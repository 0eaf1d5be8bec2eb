/** Secrets never leave the log through the audit view: PIN hashes are replaced. */
import { REDACTED } from '../../../src-shared/audit.ts';

export function redactPayload(type: string, payload: unknown): unknown {
  if (type === 'staff.pin_set' && typeof payload === 'object' && payload !== null) {
    return { ...payload, pinHash: REDACTED };
  }
  return payload;
}
