import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import sv from '../../../src-renderer/i18n/sv.json' with { type: 'json' };
import en from '../../../src-renderer/i18n/en.json' with { type: 'json' };
import { lineSignal, worstState } from '../../../src-shared/line-signal.ts';
import { LINE_STATES, PROBE_CODES } from '../../../src-shared/telephony.ts';
import {
  STATE_ICON,
  evidenceText,
  formatRtt,
  stateText,
} from '../../../src-renderer/features/status/model/line-state.ts';
import { boardSummary, reserveText } from '../../../src-renderer/features/status/model/summary.ts';
import { defaultReportLine } from '../../../src-renderer/features/status/model/report-default.ts';
import { sparkline } from '../../../src-renderer/features/status/model/sparkline.ts';
import { documentTitle, faviconDataUrl, faviconSvg } from '../../../src-renderer/features/status/model/host-signals.ts';
import { lineView } from './status-fixtures.ts';

let t: TFunction;
let tEn: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { sv: { translation: sv }, en: { translation: en } }, lng: 'sv' });
  t = i18n.t;
  tEn = i18n.getFixedT('en');
});

describe('line state on screen', () => {
  it('names each state in Swedish with its own shape', () => {
    const texts = LINE_STATES.filter((s) => s !== 'UNKNOWN').map((state) => stateText(t, lineView({ id: 'x', state })));
    expect(texts).toEqual(['Fungerar', 'Störd', 'Ur funktion']);
    expect(new Set(Object.values(STATE_ICON)).size).toBe(LINE_STATES.length);
  });

  it('says why a line is UNKNOWN', () => {
    expect(stateText(t, lineView({ id: 'x', state: 'UNKNOWN', code: 'no_probe', lastCheckAt: null }))).toBe(
      'Okänd: ingen mätning',
    );
    expect(stateText(t, lineView({ id: 'x', state: 'UNKNOWN', code: 'invalid_probe', lastCheckAt: null }))).toBe(
      'Okänd: felaktig mätinställning',
    );
    expect(stateText(t, lineView({ id: 'x', state: 'UNKNOWN', code: 'registrar_error' }))).toBe(
      'Okänd: registrar svarar inte',
    );
    expect(stateText(tEn, lineView({ id: 'x', state: 'UNKNOWN', code: 'timeout', lastCheckAt: null }))).toBe(
      'Unknown: not measured yet',
    );
  });

  it('has a reason text for every probe code in both languages', () => {
    for (const tr of [t, tEn]) {
      for (const code of PROBE_CODES) expect(tr(`status.reason.${code}`)).not.toBe(`status.reason.${code}`);
    }
  });

  it('shows the SIP or HTTP answer as evidence, other codes as words', () => {
    expect(evidenceText(t, { code: 'sip_status', detail: '503 Service Unavailable' })).toBe(
      'SIP-svar 503 Service Unavailable',
    );
    expect(evidenceText(t, { code: 'refused', detail: 'refused: nothing listens at the target' })).toBe(
      'ingen lyssnar på porten',
    );
    expect(evidenceText(t, { code: 'sip_status', detail: 'x'.repeat(200) })).toHaveLength('SIP-svar '.length + 60);
  });

  it('formats round trips with the local decimal sign', () => {
    expect(formatRtt(0.83, 'sv')).toBe('0,8 ms');
    expect(formatRtt(12.4, 'en')).toBe('12 ms');
    expect(formatRtt(null, 'sv')).toBeNull();
  });
});

describe('worst state and signal level', () => {
  it('ranks DOWN over DEGRADED over UNKNOWN over UP', () => {
    expect(worstState(['UP', 'UNKNOWN', 'UP'])).toBe('UNKNOWN');
    expect(worstState(['UNKNOWN', 'DEGRADED'])).toBe('DEGRADED');
    expect(worstState(['DEGRADED', 'DOWN', 'UP'])).toBe('DOWN');
    expect(worstState([])).toBeNull();
  });

  it('counts only critical lines when the facility has any', () => {
    const lines = [
      { state: 'DOWN' as const, criticality: 'normal' as const },
      { state: 'UP' as const, criticality: 'critical' as const },
    ];
    expect(lineSignal(lines, false)).toMatchObject({ level: 'ok', worst: 'UP', counted: 1 });
    expect(lineSignal(lines.slice(0, 1), false)).toMatchObject({ level: 'down', counted: 1 });
  });

  it('is down while the fallback is active, whatever the probes say', () => {
    expect(lineSignal([{ state: 'UP', criticality: 'critical' }], true).level).toBe('down');
  });

  it('is unknown for a board without lines or with an unmeasured critical line', () => {
    expect(lineSignal([], false).level).toBe('unknown');
    expect(lineSignal([{ state: 'UNKNOWN', criticality: 'critical' }], false).level).toBe('unknown');
  });
});

describe('browser tab signals', () => {
  it('prefixes the title with the shape and the state', () => {
    expect(documentTitle('down', 'Telefoner ur funktion', 'Guardline')).toBe('✕ Telefoner ur funktion – Guardline');
    expect(documentTitle('ok', '', 'Guardline')).toBe('✓ Guardline');
  });

  it('draws a different colour and symbol per level as an SVG data URL', () => {
    expect(faviconSvg('ok')).toContain('#1f9d55');
    expect(faviconSvg('down')).toContain('✕');
    expect(faviconSvg('warn')).toContain('!');
    const url = faviconDataUrl('unknown');
    expect(url.startsWith('data:image/svg+xml,')).toBe(true);
    expect(decodeURIComponent(url.slice('data:image/svg+xml,'.length))).toBe(faviconSvg('unknown'));
  });
});

describe('strip summary and reserve procedure', () => {
  it('says all lines work, or names the lines in the worst state with critical ones first', () => {
    expect(boardSummary([])).toEqual({ kind: 'none' });
    expect(boardSummary([lineView({ id: 'a' }), lineView({ id: 'b' })])).toEqual({ kind: 'allUp', count: 2 });
    expect(
      boardSummary([
        lineView({ id: 'a', name: 'Intercom', state: 'DOWN' }),
        lineView({ id: 'b', name: 'Larmlinje', state: 'DOWN', criticality: 'critical' }),
        lineView({ id: 'c', state: 'DEGRADED' }),
      ]),
    ).toEqual({ kind: 'some', state: 'DOWN', names: ['Larmlinje', 'Intercom'], count: 2 });
  });

  it('gives a count instead of names beyond two lines', () => {
    const lines = ['a', 'b', 'c'].map((id) => lineView({ id, state: 'DEGRADED' }));
    expect(boardSummary(lines)).toEqual({ kind: 'some', state: 'DEGRADED', names: [], count: 3 });
  });

  it('picks the reserve procedure in the page language, else whichever exists', () => {
    expect(reserveText({ sv: 'Radio 3', en: 'Radio 3 (en)' }, 'en')).toBe('Radio 3 (en)');
    expect(reserveText({ sv: 'Radio 3' }, 'en')).toBe('Radio 3');
    expect(reserveText('Ring 112', 'sv')).toBe('Ring 112');
    expect(reserveText(null, 'sv')).toBeNull();
  });
});

describe('default line of a phone report', () => {
  const units = [
    { id: 'central', name: 'Centralvakten' },
    { id: 'avd-a', name: 'Avdelning A' },
    { id: 'avd-b', name: 'Avdelning B' },
  ];
  const lines = [
    lineView({ id: 'emergency', unit: 'central', criticality: 'critical' }),
    lineView({ id: 'intercom-a', unit: 'avd-a' }),
    lineView({ id: 'desk-a', unit: 'avd-a', criticality: 'critical' }),
    lineView({ id: 'desk-b', unit: 'avd-b' }),
  ];

  it("is the console unit's critical line, the unit given by name or id", () => {
    expect(defaultReportLine({ units, lines }, 'Avdelning A')).toBe('desk-a');
    expect(defaultReportLine({ units, lines }, 'avd-a')).toBe('desk-a');
  });

  it("falls back to the unit's first line, then the facility's first critical line", () => {
    expect(defaultReportLine({ units, lines }, 'Avdelning B')).toBe('desk-b');
    expect(defaultReportLine({ units, lines }, 'Avdelning X')).toBe('emergency');
    expect(defaultReportLine({ units, lines: [] }, 'Avdelning A')).toBeNull();
  });
});

describe('RTT sparkline', () => {
  it('draws answered probes as a line scaled to the slowest, failed ones as marks', () => {
    const chart = sparkline(
      [
        { at: 0, outcome: 'up', rttMs: 1 },
        { at: 1000, outcome: 'down', rttMs: null },
        { at: 2000, outcome: 'up', rttMs: 2 },
      ],
      104,
      44,
      2,
    );
    expect(chart.path).toBe('M2 22 L102 2');
    expect(chart.failures).toEqual([52]);
    expect(chart.stats).toEqual({ count: 3, answered: 2, min: 1, median: 1, max: 2 });
  });

  it('has nothing to draw without samples', () => {
    expect(sparkline([], 100, 40)).toEqual({ path: '', failures: [], stats: null });
  });
});
