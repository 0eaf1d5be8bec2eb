/**
 * Synthetic test calls ("voice path"): what one call measured, the verdict, and the
 * voice-quality episodes reports build from a run of bad calls. A call's result is a
 * fact (`line.voice_tested`), so it syncs to the tracker and other consoles and counts
 * in reports like every other probe evidence.
 */
import { z } from 'zod';
import { LineState } from './telephony.ts';

/**
 * - `ok`: answered, media came back, MOS at or above the floor.
 * - `no_answer` / `rejected`: no call (timeout or ringing forever / a final error such as 486, 503) → DOWN.
 * - `no_media`: answered, nothing echoed back → DEGRADED "one-way audio / no media".
 * - `poor_quality`: MOS under the floor → DEGRADED.
 * - `dropped`: the far end hung up before the test ended → DEGRADED "call dropped".
 * - `auth_failed`: the line's credentials were refused: a configuration problem, not an outage (UNKNOWN).
 * - `error`: the probe could not run (bad SDP answer, socket error, missing credential) → UNKNOWN.
 */
export const VOICE_VERDICTS = [
  'ok',
  'no_answer',
  'rejected',
  'no_media',
  'poor_quality',
  'dropped',
  'auth_failed',
  'error',
] as const;
export const VoiceVerdict = z.enum(VOICE_VERDICTS);
export type VoiceVerdict = z.infer<typeof VoiceVerdict>;

export const VOICE_TRIGGERS = ['schedule', 'manual', 'report'] as const;
export const VoiceTrigger = z.enum(VOICE_TRIGGERS);
export type VoiceTrigger = z.infer<typeof VoiceTrigger>;

const Ms = z.number().nonnegative().nullable();

/** What one call measured. Nulls: the call never got that far. */
export const VoiceMeasurements = z.object({
  setupMs: Ms,
  rttMs: Ms,
  sent: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  lossPct: z.number().min(0).max(100).nullable(),
  jitterMs: Ms,
  longestGapMs: Ms,
  latePct: z.number().min(0).max(100).nullable(),
  mos: z.number().min(1).max(4.5).nullable(),
  r: z.number().nullable(),
  codec: z.enum(['PCMU', 'PCMA']).nullable(),
  /** How long media flowed before BYE (ours or theirs). */
  talkMs: Ms,
});
export type VoiceMeasurements = z.infer<typeof VoiceMeasurements>;

export const VoiceCallResult = z.object({
  verdict: VoiceVerdict,
  state: LineState,
  /** The INVITE's last SIP status (final, or the provisional one a call rang out on), when there was one. */
  sipStatus: z.number().int().min(100).max(699).nullable(),
  detail: z.string().max(500),
  measurements: VoiceMeasurements,
  startedAt: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
});
export type VoiceCallResult = z.infer<typeof VoiceCallResult>;

export const LineVoiceTestedPayload = VoiceCallResult.extend({
  facilityId: z.string().max(64),
  lineId: z.string().max(64),
  testId: z.uuid(),
  trigger: VoiceTrigger,
  /** The trunk the call went through (the line itself for a trunk). */
  trunkId: z.string().max(64),
});
export type LineVoiceTestedPayload = z.infer<typeof LineVoiceTestedPayload>;

/** The state a verdict puts the voice path in. */
export function voiceState(verdict: VoiceVerdict): LineState {
  switch (verdict) {
    case 'ok':
      return 'UP';
    case 'no_answer':
    case 'rejected':
      return 'DOWN';
    case 'no_media':
    case 'poor_quality':
    case 'dropped':
      return 'DEGRADED';
    case 'auth_failed':
    case 'error':
      return 'UNKNOWN';
  }
}

/** Verdicts that describe the voice path (not the probe's own configuration). */
export function isFaultVerdict(verdict: VoiceVerdict): boolean {
  return verdict !== 'ok' && verdict !== 'auth_failed' && verdict !== 'error';
}

/** A run of test calls on one line with the same fault, e.g. one-way audio 14:02–14:40, 12 calls. */
export const VoiceEpisode = z.object({
  lineId: z.string(),
  trunkId: z.string(),
  verdict: VoiceVerdict,
  from: z.number().int(),
  to: z.number().int(),
  calls: z.number().int().positive(),
  /** Echoed packets over sent packets across the episode's calls (null: no call got media going). */
  mediaReceivedPct: z.number().nullable(),
  worstMos: z.number().nullable(),
  /** False while the last call on the line still shows the fault. */
  ended: z.boolean(),
});
export type VoiceEpisode = z.infer<typeof VoiceEpisode>;

type EpisodeCall = Pick<LineVoiceTestedPayload, 'lineId' | 'trunkId' | 'verdict' | 'at' | 'measurements'>;

/**
 * Fold test calls into episodes. Calls are taken in `at` order per line; consecutive
 * calls with the same fault verdict form one episode, a good call ends it, and
 * `auth_failed` / `error` calls neither extend nor end one (they say nothing about the path).
 */
export function voiceEpisodes(calls: readonly EpisodeCall[]): VoiceEpisode[] {
  const byLine = new Map<string, EpisodeCall[]>();
  for (const c of calls) {
    const list = byLine.get(c.lineId) ?? [];
    list.push(c);
    byLine.set(c.lineId, list);
  }
  const episodes: VoiceEpisode[] = [];
  for (const list of byLine.values()) {
    list.sort((a, b) => a.at - b.at);
    let open: (VoiceEpisode & { sent: number; received: number }) | null = null;
    const close = (ended: boolean) => {
      if (!open) return;
      const { sent, received, ...episode } = open;
      episodes.push({
        ...episode,
        ended,
        mediaReceivedPct: sent === 0 ? null : Math.round((1000 * received) / sent) / 10,
      });
      open = null;
    };
    for (const c of list) {
      if (c.verdict === 'auth_failed' || c.verdict === 'error') continue;
      if (open && open.verdict !== c.verdict) close(true);
      if (!isFaultVerdict(c.verdict)) continue;
      const mos = c.measurements.mos;
      if (!open) {
        open = {
          lineId: c.lineId,
          trunkId: c.trunkId,
          verdict: c.verdict,
          from: c.at,
          to: c.at,
          calls: 0,
          mediaReceivedPct: null,
          worstMos: null,
          ended: false,
          sent: 0,
          received: 0,
        };
      }
      const ep: VoiceEpisode & { sent: number; received: number } = open;
      ep.to = c.at;
      ep.calls += 1;
      ep.sent += c.measurements.sent;
      ep.received += c.measurements.received;
      if (mos !== null) ep.worstMos = ep.worstMos === null ? mos : Math.min(ep.worstMos, mos);
    }
    close(false);
  }
  return episodes.sort((a, b) => a.from - b.from || a.lineId.localeCompare(b.lineId));
}

const EPISODE_WORDS: Record<VoiceVerdict, string> = {
  ok: 'good audio',
  no_answer: 'no answer',
  rejected: 'call rejected',
  no_media: 'one-way audio / no media',
  poor_quality: 'poor voice quality',
  dropped: 'calls dropped',
  auth_failed: 'credentials refused',
  error: 'test failed',
};

/**
 * The sentence a carrier reads, in English (exports go to the carrier's systems):
 * "one-way audio / no media 14:02–14:40 on Trunk X, 12 test calls, 0 % media received".
 */
export function episodeSummary(ep: VoiceEpisode, lineName: string, time: (ms: number) => string): string {
  const media = ep.mediaReceivedPct === null ? '' : `, ${ep.mediaReceivedPct} % media received`;
  const mos = ep.worstMos === null ? '' : `, worst MOS ${ep.worstMos}`;
  const span = ep.from === ep.to ? time(ep.from) : `${time(ep.from)}–${time(ep.to)}`;
  const calls = `${ep.calls} test ${ep.calls === 1 ? 'call' : 'calls'}`;
  return `${EPISODE_WORDS[ep.verdict]} ${span} on ${lineName}, ${calls}${media}${mos}${ep.ended ? '' : ' (ongoing)'}`;
}

// Console API shapes.
const LineId = z.string().min(1).max(64);
export const VoiceTestNowInput = z.object({ lineId: LineId }).strict();
export const VoiceTestNowOutput = z.object({
  /** Dialling now. */
  started: z.boolean(),
  /** Waiting for another line's call on the same trunk. Both false: this line's call is already running or waiting. */
  queued: z.boolean(),
});
export const VoiceCallsInput = z
  .object({ lineId: LineId, limit: z.number().int().min(1).max(500).default(50) })
  .strict();
export const VoiceLineStatus = z.object({
  lineId: z.string(),
  /** Null: no voice test configured for this line (nor its trunk). */
  configured: z.boolean(),
  scheduled: z.boolean(),
  intervalMinutes: z.number().nullable(),
  mosFloor: z.number().nullable(),
  /** Name of the credential the call uses (never the secret), null when it needs none. */
  credential: z.string().nullable(),
  running: z.boolean(),
  calls: z.array(LineVoiceTestedPayload),
});
export type VoiceLineStatus = z.infer<typeof VoiceLineStatus>;
export const VoiceSetCredentialInput = z
  .object({
    ref: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, { error: 'must be a credential name from the config' }),
    username: z.string().min(1).max(128),
    password: z.string().min(1).max(256),
  })
  .strict();
