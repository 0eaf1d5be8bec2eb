/**
 * The `sip-call` probe against real components on loopback: Kamailio as the proxy
 * with digest authentication, sipp as the echo target (`-rtp_echo`), and a UDP relay
 * in the media path that injects the faults a carrier causes. Each case checks the
 * verdict a supervisor would see, and the relay's counters prove the fault happened.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { requireLabTools } from '../../lab/tools.ts';
import {
  LAB_PASSWORD,
  LAB_USER,
  hasRtpengine,
  startEchoFarEnd,
  startRtpengine,
  startVoiceProxy,
  type FarEndScript,
  type LabService,
} from '../../lab/voice.ts';
import { startUdpRelay, type RelayPlan, type UdpRelay } from '../../support/udp-relay.ts';
import { placeTestCall, type SipCredential } from '../../../src-main/core/telephony/voice/sip-call-probe.ts';
import { VoiceTestSpec } from '../../../src-shared/facility-config.ts';
import type { VoiceCallResult } from '../../../src-shared/voice.ts';

const labReady = requireLabTools('voice-path test-call lab', ['kamailio', 'sipp']);
const GOOD: SipCredential = { username: LAB_USER, password: LAB_PASSWORD };

interface Rig {
  farEnd: LabService & { exited(): Promise<void> };
  relay: UdpRelay;
  proxy: LabService | null;
}

const open: { dispose(): Promise<void> }[] = [];

async function rig(
  script: FarEndScript,
  plan: RelayPlan,
  via: 'proxy' | 'direct',
  algorithm: 'MD5' | 'SHA-256' = 'SHA-256',
): Promise<Rig> {
  let relay!: UdpRelay;
  const farEnd = await startEchoFarEnd(script, async (mediaPort) => {
    relay = await startUdpRelay({ host: '127.0.0.1', port: mediaPort }, plan);
    return relay.port;
  });
  open.push(farEnd, { dispose: () => relay.close() });
  const proxy = via === 'proxy' ? await startVoiceProxy({ farEndPort: farEnd.port, algorithm }) : null;
  if (proxy) open.push(proxy);
  return { farEnd, relay, proxy };
}

function call(
  r: Rig,
  extra: Partial<VoiceTestSpec> = {},
  credential: SipCredential | null = GOOD,
): Promise<VoiceCallResult> {
  const spec = VoiceTestSpec.parse({
    host: '127.0.0.1',
    port: r.proxy?.port ?? r.farEnd.port,
    echoUser: 'echo',
    durationMs: 2000,
    answerTimeoutMs: 3000,
    // Generous: a loaded CI machine's scheduling stalls must not count as late frames; the jitter case uses 60 ms.
    jitterBufferMs: 200,
    ...extra,
  });
  return placeTestCall(spec, { wallClock: Date.now, lineId: 'trunk-a', credential, t1Ms: 250 });
}

const explain = (r: Rig, result: VoiceCallResult) =>
  `${JSON.stringify(result)}\nrelay ${JSON.stringify(r.relay.counts)}\nfar end:\n${r.farEnd.log()}\nproxy:\n${r.proxy?.log().slice(-1500) ?? '-'}`;

describe.skipIf(!labReady)('test call through Kamailio to a sipp echo', () => {
  afterEach(async () => {
    for (const s of open.splice(0)) await s.dispose();
  });
  afterAll(async () => {
    for (const s of open.splice(0)) await s.dispose();
  });

  it('a clean call through digest auth (SHA-256) is UP with every frame echoed', async () => {
    const r = await rig({ kind: 'echo' }, {}, 'proxy', 'SHA-256');
    const result = await call(r);
    expect(result.verdict, explain(r, result)).toBe('ok');
    expect(result.state).toBe('UP');
    const m = result.measurements;
    expect(m.sent).toBe(100);
    expect(m.received).toBe(100);
    expect(m.lossPct).toBe(0);
    expect(m.codec).toBe('PCMU');
    expect(m.mos).toBeGreaterThanOrEqual(3.6);
    expect(m.setupMs).not.toBeNull();
    expect(r.relay.counts.toProbe.forwarded).toBe(100);
    // The far end saw our BYE and answered it: sipp ends its scenario only then.
    await r.farEnd.exited();
  });

  it.skipIf(!hasRtpengine() && process.env.CI !== 'true')(
    'a clean call with media anchored through rtpengine is UP, and the far end never saw our address',
    async () => {
      const rtpengine = await startRtpengine();
      open.push(rtpengine);
      let relay!: UdpRelay;
      const farEnd = await startEchoFarEnd({ kind: 'echo' }, async (mediaPort) => {
        relay = await startUdpRelay({ host: '127.0.0.1', port: mediaPort }, {});
        return relay.port;
      });
      open.push(farEnd, { dispose: () => relay.close() });
      const proxy = await startVoiceProxy({ farEndPort: farEnd.port, algorithm: 'SHA-256', rtpengine: rtpengine.ng });
      open.push(proxy);
      const r: Rig = { farEnd, relay, proxy };
      const result = await call(r);
      expect(result.verdict, `${explain(r, result)}\nrtpengine:\n${rtpengine.log().slice(-2000)}`).toBe('ok');
      expect(result.measurements.received).toBe(result.measurements.sent);
      expect(relay.counts.toProbe.forwarded).toBe(100);
      // rtpengine relayed: the far end's side heard media from rtpengine's port window, not from the probe.
      const source = relay.lastSource()!.port;
      expect(source).toBeGreaterThanOrEqual(rtpengine.portMin);
      expect(source).toBeLessThanOrEqual(rtpengine.portMax);
    },
  );

  it('183 Session Progress with early-media SDP before the answer is just progress: the call is UP', async () => {
    const r = await rig({ kind: 'echo', sessionProgress: true }, {}, 'proxy');
    const result = await call(r, { durationMs: 1000 });
    expect(result.verdict, explain(r, result)).toBe('ok');
    expect(result.measurements.received).toBe(result.measurements.sent);
  });

  it('answers an MD5 challenge too', async () => {
    const r = await rig({ kind: 'echo' }, {}, 'proxy', 'MD5');
    const result = await call(r, { durationMs: 1000 });
    expect(result.verdict, explain(r, result)).toBe('ok');
  });

  it('one-way audio: frames reach the far end but nothing comes back → DEGRADED no media', async () => {
    const r = await rig({ kind: 'echo' }, { toProbe: { block: true } }, 'proxy');
    const result = await call(r);
    expect(result.verdict, explain(r, result)).toBe('no_media');
    expect(result.state).toBe('DEGRADED');
    expect(result.measurements.received).toBe(0);
    expect(r.relay.counts.toFarEnd.forwarded).toBe(100);
    expect(r.relay.counts.toProbe.dropped).toBeGreaterThan(0);
    expect(result.detail).toMatch(/0 of 100 packets/);
  });

  it('10 % loss is measured packet for packet and scores as poor voice quality', async () => {
    const r = await rig({ kind: 'echo' }, { toFarEnd: { loss: 0.1 } }, 'proxy');
    const result = await call(r, { durationMs: 4000 });
    const m = result.measurements;
    const dropped = r.relay.counts.toFarEnd.dropped;
    expect(dropped, explain(r, result)).toBeGreaterThan(0);
    expect(m.sent - m.received).toBe(dropped);
    expect(m.lossPct).toBeCloseTo((100 * dropped) / m.sent, 1);
    expect(result.verdict, explain(r, result)).toBe('poor_quality');
    expect(m.mos!).toBeLessThan(3.6);
  });

  it('80 ms of jitter is seen as jitter and late frames, and scores as poor voice quality', async () => {
    const r = await rig({ kind: 'echo' }, { toProbe: { jitterMs: 80 } }, 'proxy');
    const result = await call(r, { durationMs: 3000, jitterBufferMs: 60 });
    const m = result.measurements;
    expect(r.relay.counts.toProbe.delaySumMs, explain(r, result)).toBeGreaterThan(0);
    expect(m.lossPct).toBe(0);
    expect(m.jitterMs!).toBeGreaterThan(10);
    expect(m.latePct!).toBeGreaterThan(0);
    expect(result.verdict, explain(r, result)).toBe('poor_quality');
  });

  it('media cut after 1 s: the longest gap covers the rest of the call', async () => {
    const r = await rig({ kind: 'echo' }, { cutAfterMs: 1000 }, 'proxy');
    const result = await call(r, { durationMs: 3000 });
    const m = result.measurements;
    expect(r.relay.counts.toFarEnd.dropped, explain(r, result)).toBeGreaterThan(0);
    expect(m.longestGapMs!).toBeGreaterThan(1500);
    expect(m.received).toBeLessThan(m.sent);
    expect(result.state).toBe('DEGRADED');
  });

  it('far end hangs up after 1 s → DEGRADED call dropped, and the BYE is answered', async () => {
    const r = await rig({ kind: 'hangup', afterMs: 1000 }, {}, 'proxy');
    const result = await call(r, { durationMs: 4000 });
    expect(result.verdict, explain(r, result)).toBe('dropped');
    expect(result.state).toBe('DEGRADED');
    expect(result.measurements.sent).toBeLessThan(200);
    expect(result.measurements.received).toBeGreaterThan(0);
    await r.farEnd.exited(); // sipp waits for our 200 to its BYE
  });

  it('a far end that answers without G.711 (G.729 only) is an error naming why, and is hung up', async () => {
    const r = await rig({ kind: 'echo', payloadTypes: '18' }, {}, 'proxy');
    const result = await call(r);
    expect(result.verdict, explain(r, result)).toBe('error');
    expect(result.state).toBe('UNKNOWN');
    expect(result.detail).toMatch(/no G\.711 codec \(payload types 18\)/);
    await r.farEnd.exited(); // it got our BYE
  });

  it('a wrong password is a clear error naming the line, not a DOWN', async () => {
    const r = await rig({ kind: 'echo' }, {}, 'proxy');
    const result = await call(r, {}, { username: LAB_USER, password: 'wrong' });
    expect(result.verdict, explain(r, result)).toBe('auth_failed');
    expect(result.state).toBe('UNKNOWN');
    expect(result.detail).toMatch(/line trunk-a: authentication failed \(407/);
    expect(result.measurements.sent).toBe(0);
  });

  it('503 from the trunk → DOWN with the status as evidence', async () => {
    const r = await rig({ kind: 'reject', code: 503, reason: 'Service Unavailable' }, {}, 'direct');
    const result = await call(r, {}, null);
    expect(result.verdict, explain(r, result)).toBe('rejected');
    expect(result.state).toBe('DOWN');
    expect(result.sipStatus).toBe(503);
    await r.farEnd.exited(); // the scenario ends only after our ACK
  });

  it('486 busy → DOWN', async () => {
    const r = await rig({ kind: 'reject', code: 486, reason: 'Busy Here' }, {}, 'direct');
    const result = await call(r, {}, null);
    expect(result.verdict, explain(r, result)).toBe('rejected');
    expect(result.sipStatus).toBe(486);
  });

  it('rings without an answer → DOWN no answer; the call is cancelled properly', async () => {
    const r = await rig({ kind: 'ring' }, {}, 'proxy');
    const result = await call(r, { answerTimeoutMs: 2000 });
    expect(result.verdict, explain(r, result)).toBe('no_answer');
    expect(result.state).toBe('DOWN');
    expect(result.detail).toMatch(/rang \(180\)/);
    await r.farEnd.exited(); // sipp saw CANCEL and the ACK for its 487
  });

  it('no response at all → DOWN no answer', async () => {
    const hole = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
    let heard = 0;
    hole.on('message', () => (heard += 1));
    try {
      const spec = VoiceTestSpec.parse({
        host: '127.0.0.1',
        port: hole.address().port,
        echoUser: 'echo',
        answerTimeoutMs: 1500,
      });
      const result = await placeTestCall(spec, { wallClock: Date.now, lineId: 'trunk-a', credential: null, t1Ms: 250 });
      expect(result.verdict).toBe('no_answer');
      expect(result.state).toBe('DOWN');
      expect(heard).toBeGreaterThan(1); // INVITE retransmitted (Timer A)
    } finally {
      hole.close();
    }
  });
});
