/**
 * The console's own update notice (issue 15), rendered with the shipped translations:
 * what the staff at the console read for each state the Electron shell reports, in
 * Swedish and English, and nothing when there is nothing to say.
 */
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { initShippedTranslations } from './shipped-i18n.ts';
import { UpdateNoticeView } from '../../../src-renderer/features/status/UpdateNotice.tsx';
import { NO_CONSOLE_UPDATE, type ConsoleUpdate } from '../../../src-shared/sync.ts';

const i18n = i18next.createInstance();
beforeAll(() => initShippedTranslations(i18n, { react: true }));

async function text(update: ConsoleUpdate, lng = 'sv'): Promise<string> {
  await i18n.changeLanguage(lng);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <UpdateNoticeView update={update} />
    </I18nextProvider>,
  );
}

describe('update notice', () => {
  it('says a downloaded version installs at the next restart, in both languages', async () => {
    const ready: ConsoleUpdate = { state: 'ready', version: '0.4.0', error: null };
    expect(await text(ready)).toContain('Version 0.4.0 är hämtad och installeras när konsolen startas om.');
    expect(await text(ready, 'en')).toContain('Version 0.4.0 is downloaded and installs when the console restarts.');
    expect(await text(ready)).toContain('role="status"');
  });

  it('says an alarm holds the install', async () => {
    expect(await text({ state: 'held', version: '0.4.0', error: null })).toContain(
      'installeras inte medan ett larm står',
    );
  });

  it('shows a failure as an alert with its reason, beside a version still waiting', async () => {
    const html = await text({ state: 'ready', version: '0.4.0', error: 'HttpError: 401' });
    expect(html).toContain('role="alert"');
    expect(html).toContain('installeras när konsolen startas om');
    expect(html).toContain('Uppdateringen misslyckades: HttpError: 401');
    expect(await text({ state: 'error', version: null, error: 'ECONNREFUSED' }, 'en')).toContain(
      'The update failed: ECONNREFUSED',
    );
  });

  it('shows nothing without an update', async () => {
    expect(await text(NO_CONSOLE_UPDATE)).toBe('');
  });
});
