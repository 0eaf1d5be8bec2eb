/**
 * The frame worker's answer (frame-prep.ts `packFrame`) turned back on the console's thread
 * (`unpackFrame`) is exactly what preparing the frame there gives (`prepareFrame`): the same
 * frame, member for member in the same order, and the same per-event preparation. In particular
 * the canonical text and author hash handed to the append are those of the very objects the
 * console's thread stores, whatever the bytes were (reordered members, duplicate keys, escapes,
 * whitespace, a tampered event). An events frame comes back without objects only where the
 * wire schema's output is JSON.parse's value itself.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorHashOf } from '../../../src-common/trust/index.ts';
import { packFrame, prepareFrame, unpackFrame, type PreparedFrame } from '../../../src-main/core/mesh/frame-prep.ts';
import { toFeed } from '../../../src-main/core/mesh/peer-session.ts';
import { applyRechain, createChainAhead, prepareReceived } from '../../../src-main/core/sync/received-prep.ts';
import { parseEventPayload, type EventEnvelope, type StoredEvent } from '../../../src-shared/events.ts';
import { canonicalEnvelope } from '../../../src-shared/signed-envelope.ts';
import { signAsAuthor, testKey, unsigned } from '../../support/device-keys.ts';
import { authoredNote } from '../../support/incidents.ts';

const keys = [{ deviceId: 'dev-a', publicKey: testKey('dev-a').publicKey, facility: 'Märsta' }];

function stored(event: EventEnvelope, seq: number): StoredEvent {
  return { seq, ...event, prevHash: 'p', hash: 'h', syncedAt: null, serverSeq: null };
}

/** A frame body as the sender writes it: each event its feed JSON. */
function body(eventsJson: string[]): Buffer {
  return Buffer.from(`{"t":"events","events":[${eventsJson.join(',')}],"last":${eventsJson.length}}`, 'utf8');
}

const signed = [1, 2, 3].map((n) => signAsAuthor(authoredNote(n, 1_765_000_000_000 + n)));

/** What the console's thread gets from the worker, checked against preparing the frame on that thread. */
function throughWorker(bytes: Buffer): { answer: ReturnType<typeof packFrame>; got: PreparedFrame } {
  const answer = structuredClone(packFrame(bytes, keys));
  const got = unpackFrame(bytes, answer);
  const here = prepareFrame(bytes, keys);
  expect(got).toEqual(here);
  if ('error' in got || 'error' in here) return { answer, got };
  // Member order too: what the fold and the refusal log see.
  expect(JSON.stringify(got.frame)).toBe(JSON.stringify(here.frame));
  if (got.frame.t === 'events') {
    for (const [i, event] of got.frame.events.entries()) {
      const prep = got.ahead![i]!;
      const canonical = event.sig === undefined ? null : canonicalEnvelope(event);
      expect(prep.canonical).toBe(canonical);
      expect(prep.authorHash).toBe(canonical === null ? null : authorHashOf(canonical, event.sig!));
    }
  }
  return { answer, got };
}

describe('the frame worker’s packed answer', () => {
  it('an honest frame (the feed’s member order) comes back as no objects, and the body parsed here is the frame', () => {
    const { answer, got } = throughWorker(body(signed.map((e, i) => JSON.stringify(toFeed(stored(e, i + 1))))));
    expect('frame' in answer && answer.frame).toBe(null);
    if ('error' in got) throw new Error('refused');
    expect(got.ahead?.every((p) => p.payloadIssue === null && p.payloadExact === true)).toBe(true);
    // One check of the run's head, handed over with its key; the events it covers carry none.
    expect(got.ahead?.at(-1)?.signatures.get(keys[0]!.publicKey)).toBe(true);
    expect(got.ahead?.slice(0, -1).map((p) => p.signatures.size)).toEqual([0, 0]);
  });

  it('members in another order than the schema’s (an older sender: seq first) come back as the schema’s objects', () => {
    const oldOrder = signed.map((e, i) => JSON.stringify({ seq: i + 1, ...e, serverSeq: null }));
    const { answer } = throughWorker(body(oldOrder));
    expect('frame' in answer && answer.frame).not.toBe(null);
  });

  it('an extra member, duplicate keys, escapes and whitespace: what is stored is what was prepared', () => {
    const [a, b, c] = signed.map((e, i) => JSON.stringify(toFeed(stored(e, i + 1))));
    const extra = a!.replace('{"id"', '{"relayNote":"x","id"');
    // JSON.parse keeps the last of duplicate keys, in the first one's place, on both threads.
    const duplicate = b!.replace('"actor":"V1"', '"actor":"V9","actor":"V1"');
    const escaped = c!.replace('"text":"note 3"', '"text" : "n\\u006fte 3"');
    const { answer } = throughWorker(body([extra, duplicate, escaped]));
    expect('frame' in answer && answer.frame).not.toBe(null); // the extra member moves behind the schema's
    const { answer: same } = throughWorker(body([duplicate, escaped]));
    expect('frame' in same && same.frame).toBe(null);
  });

  it('a tampered payload, an unsigned event and a bad payload keep their preparation', () => {
    const tampered = JSON.stringify(toFeed(stored(signed[1]!, 2))).replace('note 2', 'note 22');
    const bare = JSON.stringify(toFeed(stored(unsigned(authoredNote(9, 1_765_000_000_009)), 3)));
    const bad = JSON.stringify(toFeed(stored(signAsAuthor(authoredNote(8, 1_765_000_000_008)), 4))).replace(
      '"noteId":',
      '"noteIdx":',
    );
    const { got } = throughWorker(body([JSON.stringify(toFeed(stored(signed[0]!, 1))), tampered, bare, bad]));
    if ('error' in got) throw new Error('refused');
    expect(got.ahead![1]!.signatures.get(keys[0]!.publicKey)).toBe(false);
    expect(got.ahead![2]!.canonical).toBe(null);
    expect(got.ahead![3]!.payloadIssue).toMatch(/^payload\.noteId: /);
  });

  it('a frame that is not one gives the same refusal', () => {
    for (const text of ['{"t":"events","events":[{"id":1}],"last":1}', 'not json', '{"t":"ack","last":7}']) {
      const bytes = Buffer.from(text);
      expect(unpackFrame(bytes, structuredClone(packFrame(bytes, keys)))).toEqual(prepareFrame(bytes, keys));
    }
  });
});

describe('preparing received events on the frame worker', () => {
  it('hands no parse to a later parse on its thread (no fold follows there)', () => {
    const event = signAsAuthor(authoredNote(20, 1_765_000_000_020));
    const [prep] = prepareReceived([event], keys);
    expect(prep!.payloadIssue).toBe(null);
    // Had the worker handed its parse over, this parse of the same object would be given that
    // success without looking at the payload, which no longer holds.
    (event.payload as { noteId: unknown }).noteId = 42;
    expect(parseEventPayload(event.type, event.payload).success).toBe(false);
  });
});

describe('chain hashes guessed ahead on the frame worker', () => {
  /** The log chain as the store computes it, written out independently. */
  const sha = (prev: string, canonical: string) =>
    createHash('sha256')
      .update(Buffer.from(prev + canonical, 'utf8'))
      .digest('hex');
  const chainOf = (start: string, texts: string[]) => {
    const out: string[] = [];
    for (const t of texts) out.push((start = sha(start, t)));
    return out;
  };
  const texts = (frame: number) => [1, 2, 3].map((i) => `{"frame":${frame},"i":${i},"text":"Åsa 🚨"}`);
  const head = 'a'.repeat(64);

  it('chains each frame from the log’s head through the frames posted before it and not stored yet', () => {
    const ahead = createChainAhead();
    const one = ahead.chain({ job: 1, head, storedThrough: 0 }, texts(1));
    // Posted before the first is stored: the console's head has not moved, the second follows the first.
    const two = ahead.chain({ job: 2, head, storedThrough: 0 }, texts(2));
    expect(one).toEqual({ start: head, hashes: chainOf(head, texts(1)) });
    expect(two).toEqual({ start: one.hashes[2], hashes: chainOf(one.hashes[2]!, texts(2)) });
    // The first was stored, then something else (the console's own event): the second is chained
    // again from the new head, and the third after it.
    const moved = 'b'.repeat(64);
    const three = ahead.chain({ job: 3, head: moved, storedThrough: 1 }, texts(3));
    const second = chainOf(moved, texts(2));
    expect(three).toEqual({ start: second[2], hashes: chainOf(second[2]!, texts(3)) });
  });

  it('chains the frames answered and not yet stored again when the console’s own events went into the log, and says so once', () => {
    const ahead = createChainAhead();
    const one = ahead.chain({ job: 1, head, storedThrough: 0 }, texts(1));
    ahead.chain({ job: 2, head, storedThrough: 0 }, texts(2));
    ahead.chain({ job: 3, head, storedThrough: 0 }, texts(3));
    // Frame 1 stored as guessed: nothing to say.
    expect(ahead.rechain({ head: one.hashes[2]!, storedThrough: 1 })).toEqual([]);
    // Then the console stored an event of its own: frames 2 and 3 are chained from the new head.
    const moved = 'b'.repeat(64);
    const second = chainOf(moved, texts(2));
    const third = chainOf(second[2]!, texts(3));
    expect(ahead.rechain({ head: moved, storedThrough: 1 })).toEqual([
      { job: 2, start: moved, hashes: second.join('') },
      { job: 3, start: second[2], hashes: third.join('') },
    ]);
    expect(ahead.rechain({ head: moved, storedThrough: 1 })).toEqual([]); // told once
    // A frame posted after a move re-chains the others silently for itself: the next ask still names them.
    const again = 'c'.repeat(64);
    const four = ahead.chain({ job: 4, head: again, storedThrough: 1 }, texts(4));
    const second2 = chainOf(again, texts(2));
    const third2 = chainOf(second2[2]!, texts(3));
    expect(four.start).toBe(third2[2]);
    expect(ahead.rechain({ head: again, storedThrough: 1 }).map((f) => [f.job, f.start])).toEqual([
      [2, again],
      [3, second2[2]],
    ]);
    // The console's thread puts them on the prepared events, each with the hash it was chained from.
    const preps = prepareReceived(signed, keys);
    applyRechain(preps, { job: 2, start: moved, hashes: chainOf(moved, ['x', 'y', 'z']).join('') });
    const xyz = chainOf(moved, ['x', 'y', 'z']);
    expect(preps.map((p) => p.chain)).toEqual([
      { prevHash: moved, hash: xyz[0] },
      { prevHash: xyz[0], hash: xyz[1] },
      { prevHash: xyz[1], hash: xyz[2] },
    ]);
  });

  it('puts new guesses on the rest of a frame whose front a merge stored, each at its own place in the frame', () => {
    // Round 12u: the peer session stores the front of a queued frame in a transaction with room
    // for part of it; the rest stays queued, and a rechain names the whole frame.
    const moved = 'b'.repeat(64);
    const xyz = chainOf(moved, ['x', 'y', 'z']);
    const rest = prepareReceived(signed, keys).slice(1);
    applyRechain(rest, { job: 2, start: moved, hashes: xyz.join('') }, 1);
    expect(rest.map((p) => p.chain)).toEqual([
      { prevHash: xyz[0], hash: xyz[1] },
      { prevHash: xyz[1], hash: xyz[2] },
    ]);
  });

  it('stops at an event it has no text for, and starts the next frame from the head', () => {
    const ahead = createChainAhead();
    const partial = ahead.chain({ job: 1, head, storedThrough: 0 }, [texts(1)[0]!, null, texts(1)[2]!]);
    expect(partial).toEqual({ start: head, hashes: chainOf(head, [texts(1)[0]!]) });
    expect(ahead.chain({ job: 2, head, storedThrough: 0 }, texts(2))).toEqual({
      start: head,
      hashes: chainOf(head, texts(2)),
    });
  });

  it('travel packed with the frame’s preparation, each with the hash it was chained from', () => {
    const bytes = body(signed.map((e, i) => JSON.stringify(toFeed(stored(e, i + 1)))));
    const answer = structuredClone(packFrame(bytes, keys, { job: 1, head, storedThrough: 0 }, createChainAhead()));
    const got = unpackFrame(bytes, answer);
    if ('error' in got || got.frame.t !== 'events') throw new Error('refused');
    const expected = chainOf(
      head,
      got.frame.events.map((e) => canonicalEnvelope(e)),
    );
    expect(got.ahead!.map((p) => p.chain)).toEqual(
      expected.map((hash, i) => ({ prevHash: i === 0 ? head : expected[i - 1], hash })),
    );
  });
});
