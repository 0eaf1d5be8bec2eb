/**
 * `npm run bench voice`: how well a test call measures what the network did to it,
 * and what a call costs. Real sipp echo (`-rtp_echo`), the probe, and the test UDP
 * relay injecting loss (towards the far end) and jitter (uniform random delay towards
 * the probe). For each condition the relay's own counters are the truth:
 * - loss: the share of frames the relay actually dropped vs the probe's measured loss;
 * - jitter: RFC 3550's estimator run over the delays the relay actually injected, in the
 *   order they left, vs the probe's measured interarrival jitter (the difference also
 *   holds loopback and scheduling noise, shown by the 0 ms row);
 * - CPU per call: this process's user+system CPU for one call (relay not in the path).
 */
import { performance } from 'node:perf_hooks';
import { placeTestCall } from '../../src-main/core/telephony/voice/sip-call-probe.ts';
import { interarrivalJitterMs } from '../../src-main/core/telephony/voice/media-stats.ts';
import { VoiceTestSpec } from '../../src-shared/facility-config.ts';
import type { VoiceCallResult } from '../../src-shared/voice.ts';
import { startEchoFarEnd } from '../lab/voice.ts';
import { startUdpRelay, type RelayPlan, type UdpRelay } from '../support/udp-relay.ts';
import { percentile, progress, round, writeResults, type BenchRow } from './report.ts';

const CALL_MS = Number(process.env.GUARDLINE_VOICE_BENCH_CALL_MS ?? 4000);
const CALLS = Number(process.env.GUARDLINE_VOICE_BENCH_CALLS ?? 3);
const LOSS = [0, 0.02, 0.05, 0.1, 0.2];
const JITTER = [0, 20, 40, 80];
const COST_CALLS = 5;

interface Sample {
  condition: string;
  injected: number;
  truth: number;
  measured: number;
  verdict: string;
  mos: number | null;
}

async function call(port: number): Promise<VoiceCallResult> {
  const spec = VoiceTestSpec.parse({ host: '127.0.0.1', port, echoUser: 'echo', durationMs: CALL_MS });
  return placeTestCall(spec, { wallClock: Date.now, lineId: 'bench', credential: null });
}

async function withRelay<T>(calls: number, run: (port: number, relay: UdpRelay) => Promise<T>): Promise<T> {
  let relay!: UdpRelay;
  const farEnd = await startEchoFarEnd(
    { kind: 'echo' },
    async (mediaPort) => {
      relay = await startUdpRelay({ host: '127.0.0.1', port: mediaPort }, {}, 17);
      return relay.port;
    },
    calls,
  );
  try {
    return await run(farEnd.port, relay);
  } finally {
    await relay.close();
    await farEnd.dispose();
  }
}

function resetCounts(relay: UdpRelay): void {
  for (const c of [relay.counts.toFarEnd, relay.counts.toProbe]) {
    c.received = 0;
    c.forwarded = 0;
    c.dropped = 0;
    c.delaySumMs = 0;
    c.delays = [];
  }
}

async function condition(
  relay: UdpRelay,
  port: number,
  plan: RelayPlan,
  label: string,
  injected: number,
  truth: (relay: UdpRelay) => number,
  measured: (r: VoiceCallResult) => number,
): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < CALLS; i++) {
    relay.setPlan(plan);
    resetCounts(relay);
    const r = await call(port);
    out.push({
      condition: label,
      injected,
      truth: truth(relay),
      measured: measured(r),
      verdict: r.verdict,
      mos: r.measurements.mos,
    });
  }
  return out;
}

export async function voiceBench(): Promise<BenchRow[]> {
  const samples: Sample[] = [];
  const total = (LOSS.length + JITTER.length) * CALLS;
  await withRelay(total, async (port, relay) => {
    for (const loss of LOSS) {
      samples.push(
        ...(await condition(
          relay,
          port,
          { toFarEnd: { loss } },
          `loss ${loss * 100} %`,
          loss * 100,
          (r) => (100 * r.counts.toFarEnd.dropped) / Math.max(1, r.counts.toFarEnd.received),
          (r) => r.measurements.lossPct ?? 100,
        )),
      );
      progress('voice loss', samples.length, total);
    }
    for (const jitterMs of JITTER) {
      samples.push(
        ...(await condition(
          relay,
          port,
          { toProbe: { jitterMs } },
          `jitter 0–${jitterMs} ms`,
          jitterMs,
          // RFC 3550 over the injected delays: timestamps advance exactly one frame per packet.
          (r) => interarrivalJitterMs(r.counts.toProbe.delays.map((d, i) => ({ at: i * 20 + d, timestamp: i * 160 }))),
          (r) => r.measurements.jitterMs ?? 0,
        )),
      );
      progress('voice jitter', samples.length, total);
    }
  });

  // Cost: calls straight to sipp's media port, nothing else in this process.
  const cpu: number[] = [];
  const wall: number[] = [];
  const farEnd = await startEchoFarEnd({ kind: 'echo' }, (p) => p, COST_CALLS);
  try {
    for (let i = 0; i < COST_CALLS; i++) {
      const before = process.cpuUsage();
      const t0 = performance.now();
      const r = await call(farEnd.port);
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      if (r.verdict !== 'ok') throw new Error(`cost call ${i} was ${r.verdict}: ${r.detail}`);
    }
  } finally {
    await farEnd.dispose();
  }

  const rows: BenchRow[] = [];
  const byCondition = new Map<string, Sample[]>();
  for (const s of samples) byCondition.set(s.condition, [...(byCondition.get(s.condition) ?? []), s]);
  for (const [label, list] of byCondition) {
    const mean = (f: (s: Sample) => number) => list.reduce((a, s) => a + f(s), 0) / list.length;
    const unit = label.startsWith('loss') ? '%' : 'ms';
    rows.push({
      metric: `${label}: measured (mean of ${list.length} calls)`,
      value: round(
        mean((s) => s.measured),
        2,
      ),
      unit,
      baseline: {
        name: 'relay truth',
        value: round(
          mean((s) => s.truth),
          2,
        ),
      },
    });
    rows.push({
      metric: `${label}: estimate error, worst call`,
      value: round(Math.max(...list.map((s) => Math.abs(s.measured - s.truth))), 2),
      unit,
    });
    rows.push({
      metric: `${label}: mean MOS`,
      value: round(
        mean((s) => s.mos ?? 1),
        2,
      ),
      unit: 'MOS',
    });
  }
  rows.push({
    metric: `CPU per ${CALL_MS / 1000} s call (median of ${COST_CALLS})`,
    value: round(percentile(cpu, 50), 1),
    unit: 'ms',
  });
  rows.push({ metric: 'CPU per call, worst', value: round(Math.max(...cpu), 1), unit: 'ms' });
  rows.push({
    metric: 'CPU share while a call runs (median)',
    value: round((100 * percentile(cpu, 50)) / percentile(wall, 50), 2),
    unit: '% of one core',
  });
  // run.ts writes the rows to voice.json; every call's figures go beside it.
  writeResults('voice-calls', rows, { samples, callMs: CALL_MS, callsPerCondition: CALLS, cpuMs: cpu, wallMs: wall });
  return rows;
}
