import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareEvents, inFoldOrder } from '../../../src-shared/events.ts';

type Key = { hlc: string; deviceId: string; id: string };

const key = fc.record({
  hlc: fc.constantFrom('000000000000100-000000-a', '000000000000100-000001-a', '000000000000200-000000-b'),
  deviceId: fc.constantFrom('dev-a', 'dev-b'),
  id: fc.constantFrom('e1', 'e2', 'e3'),
});

describe('events in fold order', () => {
  it('hands back the very array when it is in fold order already (a received stream: no copy, no sort)', () => {
    const events: Key[] = [
      { hlc: '000000000000100-000000-a', deviceId: 'dev-a', id: 'e1' },
      { hlc: '000000000000100-000000-a', deviceId: 'dev-b', id: 'e0' },
      { hlc: '000000000000200-000000-a', deviceId: 'dev-a', id: 'e0' },
    ];
    expect(inFoldOrder(events)).toBe(events);
    expect(inFoldOrder([])).toEqual([]);
  });

  it('sorts any other order into a copy and leaves the given array as it was', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 8 }), (events) => {
        const given = [...events];
        const ordered = inFoldOrder(events);
        expect(ordered).toEqual([...events].sort(compareEvents));
        expect(events).toEqual(given);
      }),
    );
  });
});
