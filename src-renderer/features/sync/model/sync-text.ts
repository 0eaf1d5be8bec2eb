/**
 * What the sync indicator and the Synk page say about a `SyncStatus`, as translation
 * keys with their values (never finished text): the components hand them to i18next,
 * the unit tests to a real i18next instance, so wording and logic are tested together.
 * State is always carried by an icon and words, never by colour alone.
 */
import type { TFunction } from 'i18next';
import type { SyncState, SyncStatus } from '../../../../src-shared/sync.ts';

export interface Text {
  key: string;
  options?: Record<string, unknown>;
}

/** A drain at least this long gets a progress bar; a handful of events would only flicker one. */
export const LARGE_DRAIN = 50;

export type Tone = 'idle' | 'ok' | 'busy' | 'warn' | 'error';

const ICON: Record<SyncState, string> = {
  not_configured: '◇',
  offline: '⊘',
  connecting: '◌',
  pushing: '⇅',
  pulling: '⇅',
  live: '✓',
  error: '⚠',
};

const TONE: Record<SyncState, Tone> = {
  not_configured: 'idle',
  offline: 'warn',
  connecting: 'busy',
  pushing: 'busy',
  pulling: 'busy',
  live: 'ok',
  error: 'error',
};

export function stateIcon(state: SyncState): string {
  return ICON[state];
}

export function stateTone(state: SyncState): Tone {
  return TONE[state];
}

/** The state's name on its own, e.g. the Synk page's "Synkad" or "Offline". */
export function stateLabel(state: SyncState): Text {
  return { key: `sync.state.${state}` };
}

export function progressText(progress: { done: number; total: number }): Text {
  return { key: 'sync.progress', options: { done: progress.done, total: progress.total } };
}

export function showsProgressBar(status: SyncStatus): boolean {
  return status.state === 'pushing' && status.progress !== null && status.progress.total >= LARGE_DRAIN;
}

/** While live the last success is "now"; in every other configured state it says how stale the picture is. */
export function showsLastSuccess(status: SyncStatus): boolean {
  return status.state !== 'not_configured' && status.state !== 'live' && status.lastSuccessAt !== null;
}

/** Why the engine is offline or failing, in words a guard can act on; unknown codes say which code. */
export function reasonText(reason: SyncStatus['reason']): Text {
  if (!reason) return { key: 'sync.reason.unknown', options: { code: '–' } };
  const code = reason.code;
  if (KNOWN_REASONS.has(code)) return { key: `sync.reason.${code}` };
  if (code === 'unauthenticated' || code === 'http_401') return { key: 'sync.reason.unauthenticated' };
  if (code === 'forbidden' || code === 'http_403') return { key: 'sync.reason.forbidden' };
  if (code === 'rate_limited' || code === 'http_429') return { key: 'sync.reason.rate_limited' };
  if (/^http_5\d\d$/.test(code) || code === 'unavailable' || code === 'store_unavailable')
    return { key: 'sync.reason.unavailable' };
  if (code.startsWith('stream_') || code === 'response_cut' || code === 'bad_response')
    return { key: 'sync.reason.connection_lost' };
  if (code === 'TimeoutError' || code === 'AbortError' || code === 'ETIMEDOUT') return { key: 'sync.reason.timeout' };
  return { key: 'sync.reason.unknown', options: { code } };
}

const KNOWN_REASONS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH', 'internal']);

/**
 * The header's one line: "Synkad", "Offline – 12 väntar", "Synkar 1 200 / 5 000",
 * "Fel: …", "Synk: ej konfigurerad" (the only state that needs to say it is about sync).
 */
export function indicatorText(status: SyncStatus): Text {
  const count = status.pending;
  switch (status.state) {
    case 'not_configured':
      return { key: 'sync.indicator.not_configured' };
    case 'offline':
      return count > 0 ? { key: 'sync.indicator.offlinePending', options: { count } } : { key: 'sync.state.offline' };
    case 'connecting':
      return { key: 'sync.state.connecting' };
    case 'pushing':
      return status.progress ? progressText(status.progress) : { key: 'sync.state.pushing' };
    case 'pulling':
      return { key: 'sync.state.pulling' };
    case 'live':
      return count > 0 ? { key: 'sync.indicator.livePending', options: { count } } : { key: 'sync.state.live' };
    case 'error':
      return { key: 'sync.indicator.error', options: { reason: reasonText(status.reason) } };
  }
}

/** One or two sentences on the Synk page: what the state means and what, if anything, to do. */
export function explanation(state: SyncState): Text {
  return { key: `sync.explain.${state}` };
}

/** Resolve a Text, including a nested Text among its values (the reason inside "Fel: …"). */
export function render(t: TFunction, text: Text): string {
  if (!text.options) return t(text.key);
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(text.options)) {
    options[name] = isText(value) ? render(t, value) : value;
  }
  return t(text.key, options);
}

function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && typeof (value as Text).key === 'string';
}
