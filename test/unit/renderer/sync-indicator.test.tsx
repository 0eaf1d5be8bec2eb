/**
 * The header indicator's markup for a few statuses, rendered to HTML with the shipped
 * translations: words and icon for the state, the hidden "Synk:" prefix for screen
 * readers, a progress bar with numbers during a large drain, drift and quarantine.
 */
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShippedTranslations } from './shipped-i18n.ts';
import { SyncIndicatorView } from '../../../src-renderer/features/sync/SyncIndicator.tsx';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { syncStatus as status } from './status-fixtures.ts';

const i18n = i18next.createInstance();

beforeAll(() => initShippedTranslations(i18n, { react: true }));

function render(s: SyncStatus, onOpen?: () => void): HTMLString {
  return new HTMLString(
    renderToStaticMarkup(
      <I18nextProvider i18n={i18n}>
        <SyncIndicatorView status={s} onOpen={onOpen} />
      </I18nextProvider>,
    ),
  );
}

/** Just enough to read rendered markup: its text without tags, and one element's attributes. */
class HTMLString {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  text(): string {
    return this.html.replace(/<[^>]+>/g, '').replaceAll('&nbsp;', '\u00a0');
  }
  attributes(marker: string): Record<string, string> {
    const tag = new RegExp(`<[a-z]+[^>]*${marker}[^>]*>`).exec(this.html)?.[0];
    if (!tag) throw new Error(`no element with ${marker} in ${this.html}`);
    return Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  }
}

describe('sync indicator markup', () => {
  it('reads "Synk: Synkad" with the prefix hidden from sight and a check mark hidden from speech', () => {
    const out = render(status({}), () => {});
    expect(out.text()).toBe('✓ Synk: Synkad');
    expect(out.html).toContain('<span aria-hidden="true">✓ </span><span class="visually-hidden">Synk: </span>');
    expect(out.html).toMatch(/^<div[^>]*><button type="button"/);
  });

  it('is plain text when there is no Synk page to open', () => {
    expect(render(status({}), undefined).html).not.toContain('<button');
  });

  it('shows what waits offline and how old the last success is', () => {
    const out = render(status({ state: 'offline', pending: 3, lastSuccessAt: Date.now() - 5 * 60_000 }));
    expect(out.text()).toBe('⊘ Synk: Offline – 3 väntar · senast för 5 minuter sedan');
  });

  it('draws a progress bar with the numbers during a large drain', () => {
    const out = render(status({ state: 'pushing', pending: 3_800, progress: { done: 1_200, total: 5_000 } }));
    expect(out.attributes('role="progressbar"')).toMatchObject({
      'aria-label': 'Synkförlopp',
      'aria-valuemin': '0',
      'aria-valuemax': '5000',
      'aria-valuenow': '1200',
      'aria-valuetext': 'Synkar 1\u00a0200 / 5\u00a0000',
    });
    expect(out.html).toContain('width:24.0%');
    expect(render(status({ state: 'pushing', progress: { done: 1, total: 3 } })).html).not.toContain('progressbar');
  });

  it('warns about a wrong clock and counts quarantined events', () => {
    const out = render(status({ driftMs: -3_600_000, driftFlagged: true, quarantined: 2 }));
    expect(out.text()).toContain('Datorns klocka går fel med 1 h 0 min');
    expect(out.text()).toContain('2 i karantän');
    expect(render(status({ driftMs: 90_000 })).text()).not.toContain('klocka');
  });

  it('says the same in English', async () => {
    await i18n.changeLanguage('en');
    try {
      const out = render(status({ state: 'offline', pending: 12, lastSuccessAt: null, quarantined: 1 }));
      expect(out.text()).toBe('⊘ Sync: Offline – 12 waiting⚠ 1 quarantined');
    } finally {
      await i18n.changeLanguage('sv');
    }
  });
});
