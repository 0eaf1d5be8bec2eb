/**
 * The phone status strip under the header, on every screen: the facility's worst line
 * state in one sentence, a way to the board, and "Rapportera telefonproblem" (Alt+T
 * from anywhere). It also drives the browser tab's title and favicon.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReportProblemDialog } from './ReportProblemDialog.tsx';
import { useHostSignals } from './use-host-signals.ts';
import { useLineBoard } from './use-line-board.ts';
import { boardSummary, type BoardSummary } from './model/summary.ts';
import { STATE_ICON, stateClass } from './model/line-state.ts';
import type { Translate } from './model/line-state.ts';
import './status.css';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';

/** Alt+T: "telefon". Works while typing too, since Alt+T types nothing. */
export function isReportShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'code' | 'key'>) {
  return event.altKey && !event.ctrlKey && !event.metaKey && (event.code === 'KeyT' || event.key.toLowerCase() === 't');
}

function summaryText(t: Translate, summary: BoardSummary): string {
  switch (summary.kind) {
    case 'none':
      return t('status.noLines');
    case 'allUp':
      return t('status.summary.allUp', { count: summary.count });
    case 'some':
      return t('status.summary.some', {
        state: t(`status.state.${summary.state}`),
        lines:
          summary.names.length > 0 ? summary.names.join(', ') : t('status.summary.lineCount', { count: summary.count }),
      });
  }
}

export function PhoneStatus(props: { unit?: string | null; onShowBoard?: () => void }) {
  const { t } = useTranslation();
  const snapshot = useLineBoard();
  const [reporting, setReporting] = useState(false);
  useHostSignals(snapshot);
  const board = snapshot.status === 'ready' && snapshot.board.lines.length > 0 ? snapshot.board : null;

  useWindowKeydown(
    board !== null
      ? (event) => {
          if (!isReportShortcut(event) || event.defaultPrevented) return;
          event.preventDefault();
          setReporting(true);
        }
      : null,
  );

  const summary = board ? boardSummary(board.lines) : null;
  const state = summary?.kind === 'some' ? summary.state : summary?.kind === 'allUp' ? 'UP' : null;

  return (
    <section className="phone-status" aria-label={t('status.region')}>
      <span className="phone-status-label" aria-hidden="true">
        ☎
      </span>
      {snapshot.status === 'loading' && <span>{t('status.loading')}</span>}
      {snapshot.status === 'error' && <span>{t('status.unavailable')}</span>}
      {snapshot.status === 'ready' && !board && <span>{t('status.noLines')}</span>}
      {board && summary && (
        <>
          <span className={`phone-summary ${state ? stateClass(state) : ''}`} data-testid="phone-summary">
            {state && (
              <span className="line-state-icon" aria-hidden="true">
                {STATE_ICON[state]}{' '}
              </span>
            )}
            {summaryText(t, summary)}
          </span>
          {board.demo && <span className="demo-tag">{t('status.demoTag')}</span>}
          <span className="phone-status-actions">
            {props.onShowBoard && (
              <button type="button" onClick={props.onShowBoard}>
                {t('status.showBoard')}
              </button>
            )}
            <button type="button" onClick={() => setReporting(true)} aria-keyshortcuts="Alt+T">
              {t('status.report.open')}
              <kbd>Alt+T</kbd>
            </button>
          </span>
        </>
      )}
      {reporting && board && (
        <ReportProblemDialog board={board} unit={props.unit ?? null} onClose={() => setReporting(false)} />
      )}
    </section>
  );
}
