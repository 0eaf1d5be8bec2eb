import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { continueIncident, foldIncident } from '../../../src-shared/incident-fold.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { compareEvents, markParsed, parsedPayload, type EventEnvelope } from '../../../src-shared/events.ts';

const STREAM = '0192a0c0-0000-7000-8000-000000000001';
let n = 0;
function ev(type: EventEnvelope['type'], wallMs: number, deviceId: string, payload: unknown): EventEnvelope {
  n += 1;
  return {
    id: `0192a0c0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    streamId: STREAM,
    type,
    payload,
    actor: 'guard-1',
    deviceId,
    deviceTime: wallMs,
    hlc: encodeHlc({ wallMs, counter: 0, node: deviceId }),
  };
}
const created = ev('incident.created', 100, 'dev-a', {
  facility: 'Märsta',
  unit: 'Avdelning B',
  category: 'threat',
  severity: 'high',
  title: 'Hot mot personal',
  description: '',
  peopleInvolved: [],
  location: 'Korridor 2',
  occurredAt: '2026-11-25T21:14:00+01:00',
  reportedBy: 'guard-1',
});

describe('incident fold', () => {
  it('takes a payload a command marked as parsed as it is, and parses any other, also one marked for another type', () => {
    // A command's payload comes from input the dispatch just parsed (issue 16: no second parse).
    const { title: _title, ...untitled } = created.payload as Record<string, unknown>;
    const marked = {
      ...created,
      payload: parsedPayload('incident.created', { ...(created.payload as object) } as never),
    };
    expect(foldIncident([marked])).toEqual(foldIncident([created]));
    // Without a title the creation is refused, however it was marked for another type.
    expect(foldIncident([{ ...created, payload: untitled }])).toBeNull();
    const elsewhere = parsedPayload('incident.updated', untitled as never);
    expect(foldIncident([{ ...created, payload: elsewhere }])).toBeNull();
  });

  it('takes a stored payload marked as its own parse as it is (the tracker fold), parses one marked for another type, and the mark never shows in its JSON, keys or copies', () => {
    const stored = JSON.parse(JSON.stringify(created.payload)) as object;
    markParsed('incident.created', stored);
    expect(foldIncident([{ ...created, payload: stored }])).toEqual(foldIncident([created]));
    expect(JSON.stringify(stored)).toBe(JSON.stringify(created.payload));
    expect(Reflect.ownKeys({ ...stored })).toEqual(Object.keys(created.payload as object));
    // A mark is taken for what it says: a payload the schema would trim is kept as marked.
    const padded = JSON.parse(JSON.stringify({ ...(created.payload as object), title: ' Hot ' })) as object;
    markParsed('incident.created', padded);
    expect(foldIncident([{ ...created, payload: padded }])!.title).toBe(' Hot ');
    const { title: _title, ...untitled } = created.payload as Record<string, unknown>;
    markParsed('incident.updated', untitled);
    expect(foldIncident([{ ...created, payload: untitled }])).toBeNull();
  });

  it('lets the later writer win per field, whichever console wrote it', () => {
    const a = ev('incident.updated', 200, 'dev-a', { patch: { title: 'A title', location: 'Rum 4' } });
    const b = ev('incident.updated', 300, 'dev-b', { patch: { title: 'B title' } });
    const result = foldIncident([b, created, a])!;
    expect(result.title).toBe('B title');
    expect(result.location).toBe('Rum 4');
  });

  it('breaks an HLC tie by device id, the same way everywhere', () => {
    const a = ev('incident.updated', 200, 'dev-a', { patch: { severity: 'low' } });
    const b = { ...ev('incident.updated', 200, 'dev-b', { patch: { severity: 'critical' } }) };
    b.hlc = a.hlc; // identical clock reading on two devices
    expect(foldIncident([created, a, b])!.severity).toBe('critical');
    expect(foldIncident([b, a, created])!.severity).toBe('critical');
  });

  it('records an illegal status change as a conflict instead of applying or dropping it', () => {
    const resolve = ev('incident.status_changed', 200, 'dev-a', { from: 'open', to: 'resolved' });
    const close = ev('incident.status_changed', 300, 'dev-a', { from: 'resolved', to: 'closed' });
    const lateAck = ev('incident.status_changed', 400, 'dev-b', { from: 'open', to: 'acknowledged' });
    const result = foldIncident([created, resolve, close, lateAck])!;
    expect(result.status).toBe('closed');
    expect(result.conflicts).toEqual([
      expect.objectContaining({ eventId: lateAck.id, kind: 'illegal_transition', detail: 'closed -> acknowledged' }),
    ]);
  });

  it('keeps notes in clock order with their author', () => {
    const n2 = ev('incident.note_added', 300, 'dev-b', {
      noteId: '0192a0c0-0000-7000-8000-0000000000aa',
      text: 'second',
    });
    const n1 = ev('incident.note_added', 200, 'dev-a', {
      noteId: '0192a0c0-0000-7000-8000-0000000000bb',
      text: 'first',
    });
    expect(foldIncident([n2, created, n1])!.notes.map((x) => x.text)).toEqual(['first', 'second']);
  });

  it('returns null for a stream whose creation has not arrived yet', () => {
    expect(foldIncident([ev('incident.updated', 200, 'dev-a', { patch: { title: 'x' } })])).toBeNull();
  });

  it('gives the same incident for every arrival order (property)', () => {
    const changes = [
      ev('incident.updated', 150, 'dev-b', { patch: { title: 'one' } }),
      ev('incident.status_changed', 160, 'dev-a', { from: 'open', to: 'acknowledged' }),
      ev('incident.status_changed', 160, 'dev-b', { from: 'open', to: 'resolved' }),
      ev('incident.updated', 170, 'dev-a', { patch: { severity: 'critical' } }),
      ev('incident.note_added', 180, 'dev-c', { noteId: '0192a0c0-0000-7000-8000-0000000000cc', text: 'n' }),
      ev('incident.status_changed', 190, 'dev-c', { from: 'resolved', to: 'closed' }),
    ];
    const expected = foldIncident([created, ...changes]);
    fc.assert(
      fc.property(fc.shuffledSubarray([created, ...changes], { minLength: 7, maxLength: 7 }), (order) => {
        expect(foldIncident(order)).toEqual(expected);
      }),
    );
  });

  it('carried on from a stored incident by later events, gives what the fold of every event gives (property)', () => {
    const events = [
      created,
      ev('incident.updated', 150, 'dev-b', { patch: { title: 'one', location: 'Rum 1' } }),
      ev('incident.status_changed', 160, 'dev-a', { from: 'open', to: 'acknowledged' }),
      ev('incident.status_changed', 160, 'dev-b', { from: 'open', to: 'resolved' }),
      ev('incident.created', 165, 'dev-c', { ...(created.payload as object), title: 'second creation' }),
      ev('incident.updated', 170, 'dev-a', { patch: { severity: 'critical' } }),
      ev('incident.note_added', 180, 'dev-c', { noteId: '0192a0c0-0000-7000-8000-0000000000dd', text: 'n' }),
      ev('incident.status_changed', 190, 'dev-c', { from: 'resolved', to: 'closed' }),
      ev('incident.status_changed', 200, 'dev-b', { from: 'open', to: 'acknowledged' }),
    ].sort(compareEvents);
    const expected = foldIncident(events);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: events.length }), fc.boolean(), (cut, reversed) => {
        // What the store keeps (the incident row's JSON), then the rest in any arrival order.
        const stored = JSON.parse(JSON.stringify(foldIncident(events.slice(0, cut)))) as NonNullable<typeof expected>;
        const later = events.slice(cut);
        if (reversed) later.reverse();
        expect(continueIncident(stored, later)).toEqual(expected);
      }),
    );
  });
});

describe('projection hash', () => {
  it('is the same for the same incidents in any order and changes when any field changes', async () => {
    const { projectionHash } = await import('../../../src-shared/projection-hash.ts');
    const one = foldIncident([created])!;
    const other = { ...one, id: '0192a0c0-0000-7000-8000-000000000999' };
    expect(await projectionHash([one, other])).toBe(await projectionHash([other, one]));
    expect(await projectionHash([one, other])).not.toBe(
      await projectionHash([one, { ...other, status: 'resolved' as const }]),
    );
  });
});
