/**
 * Long jobs show progress (issue 16): which pushed job the bar follows, and its markup in
 * both languages (the label names the job, the share is in words beside the bar).
 */
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShippedTranslations } from './shipped-i18n.ts';
import { JobProgressView, nextShown, type JobProgressEvent } from '../../../src-renderer/app/JobProgress.tsx';

const i18n = i18next.createInstance();
beforeAll(() => initShippedTranslations(i18n, { react: true }));

const chain = (done: number, total: number, job = 'store.verifyChain#1'): JobProgressEvent => ({
  job,
  method: 'store.verifyChain',
  done,
  total,
});

describe('job progress', () => {
  it('follows the running job of its methods and goes away when that job ends', () => {
    const methods = ['store.verifyChain'] as const;
    let shown = nextShown(null, chain(0, 10_000), methods);
    expect(shown).toMatchObject({ done: 0 });
    shown = nextShown(shown, chain(5000, 10_000), methods);
    expect(shown).toMatchObject({ done: 5000 });
    // Another page's job does not move this bar.
    expect(nextShown(shown, { job: 'r#2', method: 'reports.period', done: 1, total: 2 }, methods)).toBe(shown);
    // An older job finishing does not hide the running one.
    expect(nextShown(shown, chain(3, 3, 'store.verifyChain#0'), methods)).toBe(shown);
    expect(nextShown(shown, chain(10_000, 10_000), methods)).toBeNull();
    // An empty log has nothing to count: no bar.
    expect(nextShown(null, chain(0, 0), methods)).toBeNull();
  });

  it('names the job and says how far it is, in Swedish and English', async () => {
    const html = () =>
      renderToStaticMarkup(
        <I18nextProvider i18n={i18n}>
          <JobProgressView running={chain(2500, 10_000)} />
        </I18nextProvider>,
      );
    expect(html()).toContain('Kontrollerar händelsekedjan');
    expect(html()).toMatch(/<progress max="100" value="25"/);
    expect(html()).toContain('25 %');
    await i18n.changeLanguage('en');
    expect(html()).toContain('Checking the event chain');
    await i18n.changeLanguage('sv');
  });
});
