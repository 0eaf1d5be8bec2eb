/**
 * How a line's state reads on screen: never colour alone, always a shape and a word.
 * UNKNOWN says why ("Okänd: registrar svarar inte"), so a guard can tell "not measured
 * yet" from "the probe itself is broken" without opening the detail.
 */
import type { TFunction } from 'i18next';
import type { LineState, LineView, ProbeCode } from '../../../../src-shared/telephony.ts';

export type Translate = TFunction;

/** Shapes match the tray and favicon: tick, triangle, cross, question mark. */
export const STATE_ICON: Record<LineState, string> = { UP: '✓', DEGRADED: '▲', DOWN: '✕', UNKNOWN: '?' };

/** CSS modifier per state (`line-up`, `line-down`…). */
export function stateClass(state: LineState): string {
  return `line-${state.toLowerCase()}`;
}

/** Why a line is UNKNOWN, as a translation key: the code when it explains, else "not measured yet". */
export function unknownReasonKey(line: Pick<LineView, 'code' | 'lastCheckAt'>): string {
  const explained: readonly ProbeCode[] = ['invalid_probe', 'registrar_error', 'parse_error', 'no_probe'];
  if (explained.includes(line.code)) return `status.reason.${line.code}`;
  return line.lastCheckAt === null ? 'status.reason.not_measured' : `status.reason.${line.code}`;
}

/** "Fungerar", "Störd", "Ur funktion", or "Okänd: <reason>". */
export function stateText(t: Translate, line: Pick<LineView, 'state' | 'code' | 'lastCheckAt'>): string {
  if (line.state !== 'UNKNOWN') return t(`status.state.${line.state}`);
  return t('status.state.unknownBecause', { reason: t(unknownReasonKey(line)) });
}

/** Round trip time the way staff read it: "0,8 ms", "12 ms"; null when nothing answered. */
export function formatRtt(rttMs: number | null, lng: string): string | null {
  if (rttMs === null) return null;
  const digits = rttMs < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(lng, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(rttMs)} ms`;
}

/** Codes whose raw detail is the useful part ("503 Service Unavailable"). */
const DETAIL_CODES: readonly ProbeCode[] = ['sip_status', 'http_status'];

/** What the last probe found, short enough for a cell: "ingen lyssnar på porten", "SIP-svar 503 Service Unavailable". */
export function evidenceText(t: Translate, line: Pick<LineView, 'code' | 'detail'>): string {
  const reason = t(`status.reason.${line.code}`);
  if (!DETAIL_CODES.includes(line.code) || !line.detail) return reason;
  const detail = line.detail.length > 60 ? `${line.detail.slice(0, 59)}…` : line.detail;
  return `${reason} ${detail}`;
}
