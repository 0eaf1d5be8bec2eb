/**
 * The test call reads what the far end sends: SIP responses and requests, SDP
 * answers, digest challenges and RTP. Any byte sequence must give a value or the
 * parser's own error, never a crash and never a wrong answer for well-formed input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSdpAnswer, SdpError, buildSdpOffer } from '../../../src-main/core/telephony/voice/sdp.ts';
import { parseChallenge, DigestError } from '../../../src-main/core/telephony/voice/digest.ts';
import {
  parseRtp,
  buildRtp,
  RtpError,
  probePayload,
  probeSequence,
} from '../../../src-main/core/telephony/voice/rtp.ts';
import { parseSipRequest, SipParseError } from '../../../src-main/core/telephony/sip-parser.ts';

const only =
  <E extends Error>(kind: new (...a: never[]) => E) =>
  (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof kind)) throw error;
    }
  };

const answerArb = fc.record({
  address: fc.ipV4(),
  port: fc.integer({ min: 1, max: 65535 }),
  pts: fc.shuffledSubarray([0, 8, 18, 101], { minLength: 1 }),
  direction: fc.constantFrom('sendrecv', 'sendonly', 'recvonly', 'inactive'),
  sessionLevelC: fc.boolean(),
  lf: fc.boolean(),
});

describe('SDP answer parsing', () => {
  it('reads address, port and the first G.711 payload of any well-formed answer', () => {
    fc.assert(
      fc.property(answerArb, (g) => {
        const c = `c=IN IP4 ${g.address}`;
        const lines = [
          'v=0',
          `o=x 1 1 IN IP4 ${g.address}`,
          's=-',
          ...(g.sessionLevelC ? [c] : []),
          't=0 0',
          `m=audio ${g.port} RTP/AVP ${g.pts.join(' ')}`,
          ...(g.sessionLevelC ? [] : [c]),
          'a=rtpmap:101 telephone-event/8000',
          `a=${g.direction}`,
        ];
        const text = lines.join(g.lf ? '\n' : '\r\n') + '\r\n';
        const g711 = g.pts.find((p) => p === 0 || p === 8);
        if (g711 === undefined) {
          expect(() => parseSdpAnswer(text)).toThrow(SdpError);
          return;
        }
        const a = parseSdpAnswer(text);
        expect(a).toEqual({
          address: g.address,
          port: g.port,
          payloadType: g711,
          codec: g711 === 0 ? 'PCMU' : 'PCMA',
          direction: g.direction,
        });
      }),
    );
  });

  it('never throws anything but SdpError on arbitrary text, or on mutated offers', () => {
    const offer = buildSdpOffer({
      sessionId: '1',
      address: '127.0.0.1',
      port: 4000,
      codecs: ['PCMU', 'PCMA'],
      ptimeMs: 20,
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(), fc.string({ maxLength: 5 }), (junk, at, insert) => {
        only(SdpError)(() => parseSdpAnswer(junk));
        const i = at % (offer.length + 1);
        only(SdpError)(() => parseSdpAnswer(offer.slice(0, i) + insert + offer.slice(i)));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back its own offer', () => {
    const offer = buildSdpOffer({
      sessionId: '1',
      address: '127.0.0.1',
      port: 4000,
      codecs: ['PCMA', 'PCMU'],
      ptimeMs: 20,
    });
    expect(parseSdpAnswer(offer)).toMatchObject({ port: 4000, codec: 'PCMA', payloadType: 8 });
  });
});

describe('digest challenge parsing', () => {
  it('never throws anything but DigestError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        only(DigestError)(() => parseChallenge(s));
        only(DigestError)(() => parseChallenge(`Digest ${s}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads realm and nonce with escapes and any order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ -~]{0,30}$/),
        fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/),
        fc.boolean(),
        (realm, nonce, flip) => {
          const r = `realm="${realm.replace(/["\\]/g, '\\$&')}"`;
          const n = `nonce="${nonce}"`;
          const c = parseChallenge(`Digest ${flip ? `${n}, ${r}` : `${r},${n}`}, algorithm=SHA-256`);
          expect(c).toMatchObject({ realm, nonce, algorithm: 'SHA-256' });
        },
      ),
    );
  });
});

describe('RTP and in-dialog request parsing', () => {
  it('round-trips RTP headers and recovers the probe sequence from the payload', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 127 }),
        fc.nat(65535),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (pt, seq, ts, ssrc, probe) => {
          const p = parseRtp(
            buildRtp({ payloadType: pt, sequence: seq, timestamp: ts, ssrc, payload: probePayload(probe, 0xff) }),
          );
          expect([p.payloadType, p.sequence, p.timestamp >>> 0, p.ssrc >>> 0]).toEqual([pt, seq, ts >>> 0, ssrc >>> 0]);
          expect(probeSequence(p.payload)).toBe(probe >>> 0);
        },
      ),
    );
  });

  it('never throws anything but RtpError / SipParseError on arbitrary datagrams', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        only(RtpError)(() => parseRtp(Buffer.from(bytes)));
        only(SipParseError)(() => parseSipRequest(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a far end BYE', () => {
    const bye =
      'BYE sip:guardline@127.0.0.1:5000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK1\r\n' +
      'From: <sip:echo@x>;tag=a\r\nTo: <sip:g@x>;tag=b\r\nCall-ID: c1\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n';
    expect(parseSipRequest(bye)).toMatchObject({ method: 'BYE', uri: 'sip:guardline@127.0.0.1:5000' });
  });
});
