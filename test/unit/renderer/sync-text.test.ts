/**
 * The sync indicator's and Synk page's words, through a real i18next with the shipped
 * translations: what a guard reads for each state, counts, progress, times and drift.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShippedTranslations } from './shipped-i18n.ts';
import {
  LARGE_DRAIN,
  explanation,
  indicatorText,
  reasonText,
  render,
  showsLastSuccess,
  showsProgressBar,
  stateIcon,
  stateLabel,
} from '../../../src-renderer/features/sync/model/sync-text.ts';
import {
  driftDetail,
  driftWarning,
  durationText,
  relativeTime,
} from '../../../src-renderer/features/sync/model/time-text.ts';
import { SYNC_STATES, type SyncStatus } from '../../../src-shared/sync.ts';
import { syncStatus } from './status-fixtures.ts';

const NBSP = '\u00a0';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2026, 10, 25, 22, 0, 0);

let svT: TFunction;
let enT: TFunction;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await initShippedTranslations(i18n);
  svT = i18n.getFixedT('sv');
  enT = i18n.getFixedT('en');
});

/** Last synced two minutes ago, the clock 120 ms off. */
const status = (patch: Partial<SyncStatus>): SyncStatus =>
  syncStatus({ lastSuccessAt: NOW - 2 * MINUTE, driftMs: 120, ...patch });

describe('sync indicator text', () => {
  it('says "Synkad" when live with nothing waiting', () => {
    expect(render(svT, indicatorText(status({})))).toBe('Synkad');
    expect(render(enT, indicatorText(status({})))).toBe('Synced');
  });

  it('counts what is waiting while offline', () => {
    expect(render(svT, indicatorText(status({ state: 'offline', pending: 12 })))).toBe('Offline – 12 väntar');
    expect(render(svT, indicatorText(status({ state: 'offline', pending: 1 })))).toBe('Offline – 1 väntar');
    expect(render(enT, indicatorText(status({ state: 'offline', pending: 3 })))).toBe('Offline – 3 waiting');
    expect(render(svT, indicatorText(status({ state: 'offline', pending: 0 })))).toBe('Offline');
  });

  it('does not claim "Synkad" while local events still wait in the live state', () => {
    expect(render(svT, indicatorText(status({ pending: 3 })))).toBe('3 väntar');
  });

  it('shows drain progress with grouped numbers', () => {
    const draining = status({ state: 'pushing', pending: 3_800, progress: { done: 1_200, total: 5_000 } });
    expect(render(svT, indicatorText(draining))).toBe(`Synkar 1${NBSP}200 / 5${NBSP}000`);
    expect(render(enT, indicatorText(draining))).toBe('Syncing 1,200 / 5,000');
    expect(render(svT, indicatorText(status({ state: 'pushing' })))).toBe('Skickar…');
  });

  it('names the reason after "Fel:" and keeps unknown codes visible', () => {
    const refused = status({ state: 'error', reason: { code: 'unauthenticated', detail: 'unknown token' } });
    expect(render(svT, indicatorText(refused))).toBe('Fel: datorn är inte längre godkänd, anslut med en ny kod');
    const odd = status({ state: 'error', reason: { code: 'bad_acks', detail: 'x' } });
    expect(render(svT, indicatorText(odd))).toBe('Fel: okänt fel (bad_acks)');
    expect(render(enT, indicatorText(odd))).toBe('Error: unknown error (bad_acks)');
  });

  it('says what is not configured, since that state alone does not mention sync', () => {
    expect(render(svT, indicatorText(status({ state: 'not_configured' })))).toBe('Synk: ej konfigurerad');
    expect(render(enT, indicatorText(status({ state: 'not_configured' })))).toBe('Sync: not configured');
  });

  it('gives every state an icon, a label and an explanation in both languages', () => {
    for (const state of SYNC_STATES) {
      expect(stateIcon(state)).not.toBe('');
      for (const t of [svT, enT]) {
        const label = stateLabel(state);
        const explained = explanation(state);
        expect(t(label.key), state).not.toBe(label.key);
        expect(t(explained.key), state).not.toBe(explained.key);
      }
    }
    // No two states read the same, so the words alone tell them apart.
    expect(new Set(SYNC_STATES.map((s) => svT(stateLabel(s).key))).size).toBe(SYNC_STATES.length);
  });

  it('maps transport failures to words a guard can act on', () => {
    const say = (code: string) => render(svT, reasonText({ code, detail: '' }));
    expect(say('ECONNREFUSED')).toBe('centralservern svarar inte');
    expect(say('http_503')).toBe('tillfälligt fel hos centralservern');
    expect(say('http_429')).toBe('centralservern är överbelastad');
    expect(say('stream_ended')).toBe('anslutningen till centralservern bröts');
    expect(say('TimeoutError')).toBe('centralservern svarar för långsamt');
  });
});

describe('progress bar and last success', () => {
  it('shows a progress bar only for a large drain in progress', () => {
    expect(showsProgressBar(status({ state: 'pushing', progress: { done: 0, total: LARGE_DRAIN } }))).toBe(true);
    expect(showsProgressBar(status({ state: 'pushing', progress: { done: 0, total: LARGE_DRAIN - 1 } }))).toBe(false);
    expect(showsProgressBar(status({ state: 'pulling', progress: null }))).toBe(false);
  });

  it('shows the last success only when not live', () => {
    expect(showsLastSuccess(status({}))).toBe(false);
    expect(showsLastSuccess(status({ state: 'offline' }))).toBe(true);
    expect(showsLastSuccess(status({ state: 'offline', lastSuccessAt: null }))).toBe(false);
  });
});

describe('relative time', () => {
  it('says "nu" for a moment ago and counts minutes, hours and days after that', () => {
    expect(relativeTime(NOW - 3_000, NOW, 'sv')).toBe('nu');
    expect(relativeTime(NOW - 40_000, NOW, 'sv')).toBe('för 40 sekunder sedan');
    expect(relativeTime(NOW - 2 * MINUTE - 5_000, NOW, 'sv')).toBe('för 2 minuter sedan');
    expect(relativeTime(NOW - 3 * HOUR, NOW, 'sv')).toBe('för 3 timmar sedan');
    expect(relativeTime(NOW - 26 * HOUR, NOW, 'sv')).toBe('i går');
    expect(relativeTime(NOW - 2 * MINUTE, NOW, 'en')).toBe('2 minutes ago');
  });

  it('counts forward to the next attempt', () => {
    expect(relativeTime(NOW + 12_000, NOW, 'sv')).toBe('om 12 sekunder');
    expect(relativeTime(NOW + 12_000, NOW, 'en')).toBe('in 12 seconds');
  });
});

describe('clock drift', () => {
  it('warns "Datorns klocka går fel med 1 h 0 min" for an hour either way', () => {
    expect(render(svT, driftWarning(HOUR))).toBe('Datorns klocka går fel med 1 h 0 min');
    expect(render(svT, driftWarning(-HOUR - 400))).toBe('Datorns klocka går fel med 1 h 0 min');
    expect(render(enT, driftWarning(-HOUR))).toBe("This computer's clock is off by 1 h 0 min");
  });

  it('rounds to whole units: hours and minutes, minutes, or seconds', () => {
    expect(render(svT, durationText(2 * HOUR + 5 * MINUTE + 31_000))).toBe('2 h 5 min');
    expect(render(svT, durationText(3 * MINUTE + 20_000))).toBe('3 min');
    expect(render(svT, durationText(40_400))).toBe('40 s');
  });

  it('tells which way the clock is wrong: positive drift means this computer is behind', () => {
    expect(render(svT, driftDetail(HOUR))).toBe('Datorns klocka ligger 1 h 0 min efter centralserverns.');
    expect(render(svT, driftDetail(-3 * MINUTE))).toBe('Datorns klocka ligger 3 min före centralserverns.');
    expect(render(svT, driftDetail(300))).toBe('Ingen märkbar skillnad mot centralservern.');
  });
});
