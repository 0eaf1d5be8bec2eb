import { describe, expect, it } from 'vitest';
import { voiceEpisodes, type LineVoiceTestedPayload } from '../../../src-shared/voice.ts';
import { validateFacilityConfig } from '../../../src-shared/facility-config.ts';

const m = (sent: number, received: number, mos: number | null = null) => ({
  setupMs: 10,
  rttMs: 1,
  sent,
  received,
  lossPct: 0,
  jitterMs: 1,
  longestGapMs: 20,
  latePct: 0,
  mos,
  r: null,
  codec: 'PCMU' as const,
  talkMs: 4000,
});
const call = (
  at: number,
  verdict: LineVoiceTestedPayload['verdict'],
  sent = 200,
  received = 0,
  mos: number | null = null,
) => ({
  lineId: 'trunk-x',
  trunkId: 'trunk-x',
  verdict,
  at,
  measurements: m(sent, received, mos),
});

describe('voice-quality episodes', () => {
  it('one-way audio 14:02–14:40: consecutive no-media calls are one episode with 0 % media received', () => {
    const t = (min: number) => Date.UTC(2026, 11, 5, 14, min);
    const calls = [call(t(0), 'ok', 200, 200, 4.3)];
    for (let min = 2; min <= 40; min += 3.5) calls.push(call(t(min), 'no_media'));
    calls.push(call(t(45), 'ok', 200, 200, 4.3));
    const [episode, ...rest] = voiceEpisodes(calls);
    expect(rest).toEqual([]);
    expect(episode).toMatchObject({
      verdict: 'no_media',
      from: t(2),
      to: t(37.5),
      calls: 11,
      mediaReceivedPct: 0,
      ended: true,
    });
  });

  it('a different fault starts a new episode; auth failures neither extend nor end one; an open one is not ended', () => {
    const e = voiceEpisodes([
      call(1, 'poor_quality', 200, 180, 3.1),
      call(2, 'auth_failed'),
      call(3, 'poor_quality', 200, 150, 2.9),
      call(4, 'dropped', 100, 90, 4.2),
    ]);
    expect(e).toHaveLength(2);
    expect(e[0]).toMatchObject({
      verdict: 'poor_quality',
      calls: 2,
      mediaReceivedPct: 82.5,
      worstMos: 2.9,
      ended: true,
    });
    expect(e[1]).toMatchObject({ verdict: 'dropped', calls: 1, ended: false });
  });
});

describe('voiceTest in the facility config', () => {
  const base = (voiceTest: unknown) => ({
    facility: { id: 'f', name: 'F' },
    units: [{ id: 'u', name: 'U' }],
    lines: [
      {
        id: 'trunk-a',
        name: 'Trunk A',
        unit: 'u',
        kind: 'trunk',
        probe: { type: 'tcp', host: 'h', port: 1 },
        voiceTest,
      },
    ],
    reserveProcedure: 'radio',
  });

  it('defaults: schedule off, every 15 minutes, MOS floor 3.6', () => {
    const r = validateFacilityConfig(
      base({ host: 'pbx.example', echoUser: 'echo', credential: 'trunk-a' }),
      'cfg.json',
    );
    expect(r.ok && r.config.lines[0]!.voiceTest).toMatchObject({
      schedule: { enabled: false, intervalMinutes: 15 },
      mosFloor: 3.6,
      port: 5060,
      codec: 'PCMU',
    });
  });

  it('refuses a password in the file, naming the field', () => {
    const r = validateFacilityConfig(base({ host: 'pbx.example', echoUser: 'echo', password: 'x' }), 'cfg.json');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.path).toBe('lines[0].voiceTest.password');
    expect(!r.ok && r.error.message).toMatch(/not kept in the config file/);
  });

  it('refuses calls more often than once a minute', () => {
    const r = validateFacilityConfig(
      base({ host: 'pbx.example', echoUser: 'echo', schedule: { enabled: true, intervalMinutes: 0.5 } }),
      'cfg.json',
    );
    expect(!r.ok && r.error.path).toBe('lines[0].voiceTest.schedule.intervalMinutes');
    expect(!r.ok && r.error.message).toMatch(/at most once a minute/);
  });
});
