/**
 * What a console sends peers is its log's own text (mesh.ts `feedJson`): each event's JSON is
 * written from the stored row with the payload's stored text spliced in, byte for byte what
 * parsing the row and stringifying its feed event gives. A row whose payload text was edited
 * behind the store's back into something other than one JSON value is never spliced: it cannot
 * smuggle envelope fields (another author, say) into what peers receive.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEventsFrame } from '../../../src-main/core/mesh/frame-codec.ts';
import { packFrame } from '../../../src-main/core/mesh/frame-prep.ts';
import { feedJson } from '../../../src-main/core/mesh/mesh.ts';
import { toFeed } from '../../../src-main/core/mesh/peer-session.ts';
import { toStored, type EventRow } from '../../../src-main/core/store/event-store.ts';
import { FeedEvent } from '../../../src-shared/mesh-wire.ts';
import { cleanupTestConsoles, openTestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

type Row = EventRow & { payload_ok: number };

afterAll(() => cleanupTestConsoles());

describe('the feed JSON of stored events', () => {
  it('is byte for byte the JSON of the parsed row, for signed and unsigned events, synced or not, any text', async () => {
    const c = openTestConsole();
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa "Admin" Öberg', pin: '1111' });
    const made = await c.call<{ id: string }>(
      'incidents.create',
      incidentInput({
        title: 'Hot i korridor 2 — "citat", \\ omvänt snedstreck, tab\t, radbrytning\n och emoji 🚨',
        peopleInvolved: ['A. Andersson', 'B. Björk'],
      }),
    );
    await c.call('incidents.addNote', { id: made.id, text: 'Ä\u2028 kontroll \u{1F4DE}' });
    const db = c.core.store.db;
    // One event as the tracker acknowledged it, and one unsigned (a pre-signature event).
    db.prepare('UPDATE events SET synced_at = 1, server_seq = 4711 WHERE seq = (SELECT min(seq) FROM events)').run();
    const unsigned = db.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as EventRow;
    db.prepare(
      `INSERT INTO events (id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      '019ab000-0000-7000-8000-00000000beef',
      unsigned.stream_id,
      'incident.note_added',
      JSON.stringify({ noteId: '019ab000-0000-7000-8000-00000000bee0', text: 'förr' }),
      'V1',
      unsigned.device_id,
      1,
      unsigned.hlc,
      unsigned.hash,
      unsigned.hash,
      1,
    );
    const rows = db.prepare('SELECT *, json_valid(payload) AS payload_ok FROM events ORDER BY seq').all() as Row[];
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.map((r) => r.payload_ok)).toEqual(rows.map(() => 1)); // every one spliced
    expect(rows.some((r) => r.sig === null)).toBe(true);
    expect(rows.some((r) => r.server_seq !== null)).toBe(true);
    for (const row of rows) expect(feedJson(row)).toBe(JSON.stringify(toFeed(toStored(row))));
    // Members in FeedEvent's own order: the receiver's wire-schema parse gives back JSON.parse's
    // value itself, so its frame worker posts no objects back (frame-prep.ts `packFrame`).
    for (const row of rows) {
      const sent = JSON.parse(feedJson(row)) as Record<string, unknown>;
      expect(Object.keys(FeedEvent.parse(sent))).toEqual(Object.keys(sent));
    }
    const body = encodeEventsFrame(rows.map(feedJson), rows.at(-1)!.seq).subarray(4);
    const answer = packFrame(body, []);
    expect('frame' in answer && answer.frame).toBe(null);
    await c.close();
  });

  it('never splices a payload text that is not one JSON value: it is parsed, and fails, as before', async () => {
    const c = openTestConsole();
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa Admin', pin: '1111' });
    const row = c.core.store.db.prepare('SELECT * FROM events WHERE sig IS NOT NULL LIMIT 1').get() as EventRow;
    // The text a forger would write to make peers read another author into the envelope.
    const forged: Row = { ...row, payload: '{"a":1},"deviceId":"someone-else"', payload_ok: 0 };
    expect(() => feedJson(forged)).toThrow(SyntaxError);
    // SQLite's own verdict on that text, as the feed's query asks it.
    const verdict = c.core.store.db.prepare('SELECT json_valid(?) AS ok').get(forged.payload) as { ok: number };
    expect(verdict.ok).toBe(0);
    await c.close();
  });
});
