import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { hlcCutoff, isDue } from '../../../src-main/core/retention/model.ts';

const now = Date.UTC(2026, 10, 25, 12);
const at = (msAgo: number, counter = 0) => encodeHlc({ wallMs: now - msAgo, counter, node: 'dev-1' });

describe('retention rule', () => {
  it('is due once a closed incident has been untouched for the whole period', () => {
    expect(isDue({ status: 'closed', updatedHlc: at(90 * DAY_MS + 1) }, now, 90)).toBe(true);
    expect(isDue({ status: 'closed', updatedHlc: at(90 * DAY_MS - 1, 999_999) }, now, 90)).toBe(false);
  });

  it('is never due while an incident is open, acknowledged, escalated or resolved, however old', () => {
    for (const status of ['open', 'acknowledged', 'escalated', 'resolved']) {
      expect(isDue({ status, updatedHlc: at(5000 * DAY_MS) }, now, 1)).toBe(false);
    }
  });

  it('counts from the last change, so a note on a closed incident starts the period again', () => {
    expect(isDue({ status: 'closed', updatedHlc: at(2 * DAY_MS) }, now, 30)).toBe(false);
  });

  it('compares HLC strings in clock order, also across a change in the number of digits of the counter', () => {
    const cutoff = hlcCutoff(now, 1);
    expect(at(DAY_MS + 1, 999_999) < cutoff).toBe(true);
    expect(at(DAY_MS - 1, 0) < cutoff).toBe(false);
  });
});
