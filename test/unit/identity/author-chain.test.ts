import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorHash,
  authorHashOf,
  createKeyring,
  generateDeviceKeyPair,
  signEnvelope,
  verifyAuthoredEvent,
  verifyByRuns,
  type AuthoredEvent,
} from '../../../src-common/trust/index.ts';
import { canonicalEnvelope } from '../../../src-shared/signed-envelope.ts';

const FACILITY = 'Kumla';

/** A device writing a chained feed, as the console's event store does. */
function feedOf(deviceId: string) {
  const pair = generateDeviceKeyPair();
  const privateKey = createPrivateKey(pair.privateKeyPem);
  let seq = 0;
  let prev: string | undefined;
  return {
    deviceId,
    publicKey: pair.publicKey,
    privateKey,
    next(text: string, chained = true): AuthoredEvent {
      seq += 1;
      const envelope = {
        id: `019a0000-0000-7000-8000-${String(seq).padStart(6, '0')}${deviceId.slice(-6).padStart(6, '0')}`,
        streamId: `s-${deviceId}`,
        type: 'incident.note_added',
        payload: { noteId: `n${seq}`, text },
        actor: 'Vakt 1042',
        deviceId,
        deviceTime: 1_800_000_000_000 + seq,
        hlc: `0018000000${String(seq).padStart(5, '0')}-000000-x`,
        deviceSeq: seq,
        ...(chained && prev !== undefined ? { prev } : {}),
      };
      const event = { ...envelope, sig: signEnvelope(envelope, privateKey) };
      prev = authorHash(event)!;
      return event;
    },
  };
}

const resign = (e: AuthoredEvent, key: KeyObject): AuthoredEvent => {
  const { sig: _sig, ...envelope } = e;
  return { ...envelope, sig: signEnvelope(envelope, key) };
};

describe('verifying an author’s feed by runs', () => {
  const a = feedOf('ws-aaaaaa');
  const b = feedOf('ws-bbbbbb');
  const keyring = createKeyring([
    { deviceId: a.deviceId, publicKey: a.publicKey, facility: FACILITY },
    { deviceId: b.deviceId, publicKey: b.publicKey, facility: FACILITY },
  ]);
  const run = (events: AuthoredEvent[], held: Map<string, string> = new Map()) =>
    verifyByRuns(events, {
      verifyOne: (e) => verifyAuthoredEvent(e, keyring, { facility: FACILITY }),
      heldHash: (deviceId, seq) => held.get(`${deviceId}:${seq}`) ?? null,
    });
  const refusedAt = (r: ReturnType<typeof run>) => r.verdicts.flatMap((v, i) => (v.ok ? [] : [i]));
  const aFeed = Array.from({ length: 50 }, (_, i) => a.next(`händelse ${i + 1}`));
  const bFeed = Array.from({ length: 10 }, (_, i) => b.next(`B ${i + 1}`));

  it('accepts a linked run of one author with a single signature check, in any order and interleaved', () => {
    const r = run(aFeed);
    expect(refusedAt(r)).toEqual([]);
    expect(r.signatureChecks).toBe(1);
    expect(r.runs).toBe(1);
    const mixed = [...aFeed.slice(0, 25)].reverse().flatMap((e, i) => (bFeed[i] ? [e, bFeed[i]] : [e]));
    const m = run(mixed);
    expect(refusedAt(m)).toEqual([]);
    expect(m.signatureChecks).toBe(2);
    // In order but for one pair far from either end: still one run.
    const swapped = [...aFeed];
    [swapped[30], swapped[31]] = [swapped[31]!, swapped[30]!];
    const s = run(swapped);
    expect(refusedAt(s)).toEqual([]);
    expect(s.signatureChecks).toBe(1);
  });

  it('refuses exactly a tampered middle event and keeps the rest', () => {
    const events = [...aFeed.slice(0, 10)];
    events[4] = { ...events[4]!, payload: { noteId: 'n5', text: 'ändrad i efterhand' } };
    const r = run(events);
    expect(refusedAt(r)).toEqual([4]);
    expect(r.verdicts[4]).toMatchObject({ ok: false, code: 'bad_signature', field: 'sig' });
  });

  it('refuses exactly an event whose prev was forged (its signature no longer holds)', () => {
    const events = [...aFeed.slice(0, 10)];
    events[6] = { ...events[6]!, prev: authorHash(bFeed[0]!)! };
    const r = run(events);
    expect(refusedAt(r)).toEqual([6]);
  });

  it('falls back to per-event checks when the head is signed by another device, refusing only the head', () => {
    const events = [...aFeed.slice(0, 10)];
    events[9] = resign(events[9]!, b.privateKey);
    const r = run(events);
    expect(refusedAt(r)).toEqual([9]);
    expect(r.signatureChecks).toBe(11);
  });

  it('checks a run’s start against the feed the receiver holds: a contradicting prev is a fork', () => {
    const held = new Map([[`${a.deviceId}:10`, authorHash(aFeed[9]!)!]]);
    expect(refusedAt(run(aFeed.slice(10, 20), held))).toEqual([]);
    const forked = new Map([[`${a.deviceId}:10`, authorHash(bFeed[3]!)!]]);
    const r = run(aFeed.slice(10, 20), forked);
    expect(refusedAt(r)).toEqual([0]);
    expect(r.verdicts[0]).toMatchObject({ ok: false, code: 'fork', field: 'prev' });
  });

  it('verifies events without prev (signed before chains) and gaps one by one', () => {
    const old = feedOf('ws-cccccc');
    const ring = createKeyring([{ deviceId: old.deviceId, publicKey: old.publicKey, facility: FACILITY }]);
    const events = [old.next('1', false), old.next('2', false), old.next('3'), old.next('4')];
    const r = verifyByRuns([events[0]!, events[1]!, events[3]!], {
      verifyOne: (e) => verifyAuthoredEvent(e, ring, { facility: FACILITY }),
      heldHash: () => null,
    });
    expect(refusedAt(r)).toEqual([]);
    expect(r.signatureChecks).toBe(3);
    expect(r.runs).toBe(0);
  });

  it('keeps the author hash every stored feed links with: sha256 of canonical text, line feed, signature, in base64url', () => {
    const feed = feedOf('dev-hash');
    for (const text of ['första', 'a "quoted" note\n', '\u{1F6A8} larm']) {
      const event = feed.next(text);
      const expected = createHash('sha256')
        .update(`${canonicalEnvelope(event)}\n${event.sig!}`)
        .digest('base64url');
      expect(authorHash(event)).toBe(expected);
      expect(authorHash(event)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });
});

describe('the author hash', () => {
  it('is sha256 (base64url) over the signed form’s UTF-8 bytes: canonical text, a line feed, the signature', () => {
    // Texts beyond ASCII and beyond the BMP: the hash covers their UTF-8 bytes, as every
    // receiver and the tracker compute it, so chains written before stay valid.
    for (const canonical of ['{"a":1}', '{"text":"Åsa Öberg ringer 112 \u2028 🚨"}', '']) {
      const sig = 'A'.repeat(86);
      const expected = createHash('sha256')
        .update(Buffer.from(`${canonical}\n${sig}`, 'utf8'))
        .digest('base64url');
      expect(authorHashOf(canonical, sig)).toBe(expected);
    }
  });
});
