/**
 * `npm run bench voice-verdicts`: the lab cases, each one real call through
 * Kamailio (digest auth) to sipp's echo with the relay injecting the fault, and the
 * verdict the probe gave: the table the issue note quotes. The same cases are asserted
 * in test/integration/voice/test-call.test.ts; this writes what they measured.
 */
import dgram from 'node:dgram';
import { placeTestCall, type SipCredential } from '../../src-main/core/telephony/voice/sip-call-probe.ts';
import { VoiceTestSpec } from '../../src-shared/facility-config.ts';
import type { VoiceCallResult } from '../../src-shared/voice.ts';
import { LAB_PASSWORD, LAB_USER, startEchoFarEnd, startVoiceProxy, type FarEndScript } from '../lab/voice.ts';
import { startUdpRelay, type RelayPlan, type UdpRelay } from '../support/udp-relay.ts';
import type { BenchRow } from './report.ts';

interface Case {
  name: string;
  script: FarEndScript;
  plan?: RelayPlan;
  via?: 'proxy' | 'direct';
  credential?: SipCredential | null;
  spec?: Partial<VoiceTestSpec>;
}

const GOOD = { username: LAB_USER, password: LAB_PASSWORD };
const CASES: Case[] = [
  { name: 'clean call', script: { kind: 'echo' } },
  { name: 'one-way audio (echo direction dropped)', script: { kind: 'echo' }, plan: { toProbe: { block: true } } },
  { name: '10 % loss', script: { kind: 'echo' }, plan: { toFarEnd: { loss: 0.1 } } },
  { name: '0–80 ms jitter', script: { kind: 'echo' }, plan: { toProbe: { jitterMs: 80 } } },
  { name: 'far-end BYE after 1 s', script: { kind: 'hangup', afterMs: 1000 } },
  {
    name: '503 from the trunk',
    script: { kind: 'reject', code: 503, reason: 'Service Unavailable' },
    via: 'direct',
    credential: null,
  },
  { name: 'wrong password', script: { kind: 'echo' }, credential: { username: LAB_USER, password: 'wrong' } },
  { name: 'no answer (rings)', script: { kind: 'ring' }, spec: { answerTimeoutMs: 3000 } },
];

async function runCase(c: Case): Promise<VoiceCallResult> {
  let relay: UdpRelay | null = null;
  const farEnd = await startEchoFarEnd(c.script, async (mediaPort) => {
    relay = await startUdpRelay({ host: '127.0.0.1', port: mediaPort }, c.plan ?? {});
    return relay.port;
  });
  const proxy =
    (c.via ?? 'proxy') === 'proxy' ? await startVoiceProxy({ farEndPort: farEnd.port, algorithm: 'SHA-256' }) : null;
  try {
    const spec = VoiceTestSpec.parse({
      host: '127.0.0.1',
      port: proxy?.port ?? farEnd.port,
      echoUser: 'echo',
      durationMs: 4000,
      ...c.spec,
    });
    return await placeTestCall(spec, {
      wallClock: Date.now,
      lineId: 'trunk-x',
      credential: c.credential === undefined ? GOOD : c.credential,
    });
  } finally {
    await proxy?.dispose();
    await farEnd.dispose();
    await (relay as UdpRelay | null)?.close();
  }
}

async function silentTarget(): Promise<VoiceCallResult> {
  const hole = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
  try {
    const spec = VoiceTestSpec.parse({
      host: '127.0.0.1',
      port: hole.address().port,
      echoUser: 'echo',
      answerTimeoutMs: 3000,
    });
    return await placeTestCall(spec, { wallClock: Date.now, lineId: 'trunk-x', credential: null });
  } finally {
    hole.close();
  }
}

export async function voiceVerdictsBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const add = (name: string, r: VoiceCallResult) => {
    const m = r.measurements;
    const figures = [
      r.sipStatus === null ? null : `SIP ${r.sipStatus}`,
      m.mos === null ? null : `MOS ${m.mos}`,
      m.sent ? `${m.received}/${m.sent} echoed` : null,
      m.lossPct === null ? null : `loss ${m.lossPct} %`,
      m.jitterMs === null ? null : `jitter ${m.jitterMs} ms`,
      m.setupMs === null ? null : `set-up ${m.setupMs} ms`,
    ]
      .filter(Boolean)
      .join(', ');
    rows.push({ metric: `${name} → ${r.verdict} (${r.state}) ${figures}`.trim(), value: m.mos ?? 0, unit: 'MOS' });
    process.stderr.write(`  ${name}: ${r.verdict} (${r.detail})\n`);
  };
  for (const c of CASES) add(c.name, await runCase(c));
  add('no response at all', await silentTarget());
  return rows;
}
