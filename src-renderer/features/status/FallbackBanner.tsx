/**
 * Full-width while any critical line is DOWN (or a confirmed reported outage hits
 * one): the facility's reserve procedure, word for word from the config. Reads the
 * public `lines.board`, so the lock screen can show it too. Two rows at 1280 px: the
 * heading with the lines that are down, then the procedure in large bold type.
 */
import { useTranslation } from 'react-i18next';
import { useLineBoard } from './use-line-board.ts';
import './status.css';
import { reserveText } from './model/summary.ts';

export function FallbackBanner() {
  const { t, i18n } = useTranslation();
  const snapshot = useLineBoard();
  if (snapshot.status !== 'ready' || !snapshot.board.fallbackActive) return null;
  const { board } = snapshot;
  const down = board.lines.filter((l) => l.criticality === 'critical' && l.state === 'DOWN').map((l) => l.name);
  const procedure = reserveText(board.reserveProcedure, i18n.language);
  return (
    <section className="fallback-banner" role="alert" aria-labelledby="fallback-heading" data-testid="fallback-banner">
      <div className="fallback-head">
        <h2 id="fallback-heading">
          <span aria-hidden="true">✕ </span>
          {t('status.fallback.heading')}
        </h2>
        {down.length > 0 && <p className="fallback-lines">{t('status.fallback.lines', { lines: down.join(', ') })}</p>}
      </div>
      {procedure && <p className="fallback-procedure">{procedure}</p>}
    </section>
  );
}
