/**
 * The drain's push body is written from the outbox's stored payload texts (core/sync/push-body.ts)
 * instead of parsing each payload and serialising it again: it must be, byte for byte, the body
 * the parsed events gave, for every kind of payload a console stores and for signed and
 * unsigned, own and relayed events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore, type EventSigner } from '../../../src-main/core/store/event-store.ts';
import { pushBody } from '../../../src-main/core/sync/push-body.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { authoredNote } from '../../support/incidents.ts';
import { bodyFromParsed } from '../../support/push-body.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

const TEXTS = [
  'plain',
  'Märsta "citat" \\ bak\\snedstreck',
  'rad\nny\trad\u0000\u001f\u007f',
  'emoji 🚨 och \u00e9 e\u0301',
  '\u2028\u2029 separators',
  '',
];

function note(n: number, text: string, deviceId = 'dev-a'): EventEnvelope {
  return { ...authoredNote(n, 1_000 + n, deviceId), payload: { noteId: `n-${n}`, text } };
}

describe('push body from the stored payload texts', () => {
  it('is byte for byte the body the parsed events gave, signed and relayed events alike', () => {
    const store = openEventStore(join(dir.path, 'body.sqlite'));
    const signer: EventSigner = { deviceId: 'dev-a', signCanonical: () => 'A'.repeat(86) };
    store.useSigner(signer);
    try {
      let n = 0;
      // This console's own events: numbered, linked and signed by the store.
      store.append(TEXTS.map((text) => note(++n, text)));
      // A peer's events relayed (unsigned here) and odd payload shapes a schema may let through.
      store.append([
        note(++n, 'relayed 🚨', 'dev-b'),
        {
          ...note(++n, 'x', 'dev-b'),
          payload: { nested: { list: [1, -0, 0.1, 1e21, 5e-7, -1.5, true, null, 'ä'] }, 'key "quoted"': {} },
        },
        { ...note(++n, 'x', 'dev-b'), payload: [] },
        { ...note(++n, 'x', 'dev-b'), actor: 'Åsa "A" \u2028', streamId: 'ström/ü' },
      ]);
      const parsed = store.outbox(100);
      const rows = store.outboxRows(100);
      expect(parsed.some((e) => e.sig !== undefined && e.prev !== undefined)).toBe(true);
      expect(parsed.some((e) => e.sig === undefined)).toBe(true);
      expect(rows.map((r) => [r.seq, r.id])).toEqual(parsed.map((e) => [e.seq, e.id]));
      expect(pushBody(rows)).toBe(bodyFromParsed(parsed));
      // And in the engine's read-ahead form: only events after a given seq.
      const after = parsed[3]!.seq;
      expect(pushBody(store.outboxRows(100, after))).toBe(bodyFromParsed(store.outbox(100, after)));
    } finally {
      store.close();
    }
  });

  it('refuses to read a payload that is not JSON instead of sending it, as the parsed outbox does', () => {
    const path = join(dir.path, 'corrupt.sqlite');
    const store = openEventStore(path);
    store.append([note(1, 'a'), note(2, 'b')]);
    store.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_rewrite');
    // Text that would splice into the body as a second event, were it sent unchecked.
    raw.prepare('UPDATE events SET payload = ? WHERE seq = 2').run('{"noteId":"n"}},{"id":"forged"');
    raw.close();
    const reopened = openEventStore(path);
    try {
      expect(() => reopened.outbox(10)).toThrow(SyntaxError);
      expect(() => reopened.outboxRows(10)).toThrow(/malformed JSON/);
      expect(reopened.outboxRows(1)).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });
});
