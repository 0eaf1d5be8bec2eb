/**
 * Which page of the period's outage ledger the timeline and the ledger table show (issue
 * 16: a year of 200 lines holds tens of thousands of outages, so the ledger is read a
 * page at a time). Plain buttons, so Tab and Enter/Space move through the pages; the
 * range is a live status, so a screen reader hears where it landed. The range is printed
 * too: a PDF of the page says which outages of how many it holds.
 */
import { useTranslation } from 'react-i18next';
import type { LedgerWindow } from '../../../src-shared/figures-report.ts';

export function LedgerPager(props: { window: LedgerWindow; busy: boolean; onOffset: (offset: number) => void }) {
  const { t, i18n } = useTranslation();
  const { total, offset, limit } = props.window;
  if (total <= limit) return null;
  const number = (n: number) => n.toLocaleString(i18n.language);
  const last = Math.min(total, offset + limit);
  return (
    <div className="ledger-pager" role="group" aria-label={t('ledger.page.label')} data-testid="ledger-pager">
      <button
        type="button"
        className="no-print"
        disabled={props.busy || offset === 0}
        onClick={() => props.onOffset(Math.max(0, offset - limit))}
      >
        {t('ledger.page.previous')}
      </button>
      <span role="status">
        {t('ledger.page.range', { from: number(offset + 1), to: number(last), total: number(total) })}
      </span>
      <button
        type="button"
        className="no-print"
        disabled={props.busy || last >= total}
        onClick={() => props.onOffset(offset + limit)}
      >
        {t('ledger.page.next')}
      </button>
    </div>
  );
}
