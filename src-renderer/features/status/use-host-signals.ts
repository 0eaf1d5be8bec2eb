/**
 * Browser tab signals: the title and favicon follow the worst critical-line state
 * (see model/host-signals.ts). In Electron the tray does this from the main process;
 * the window title following along there does no harm.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { lineSignal } from '../../../src-shared/line-signal.ts';
import { documentTitle, faviconDataUrl } from './model/host-signals.ts';
import type { BoardSnapshot } from './model/board-store.ts';

export function useHostSignals(snapshot: BoardSnapshot): void {
  const { t } = useTranslation();
  const board = snapshot.status === 'ready' ? snapshot.board : null;
  const hasLines = board !== null && board.lines.length > 0;
  const level = hasLines ? lineSignal(board.lines, board.fallbackActive).level : null;

  useEffect(() => {
    const appName = t('app.name');
    if (level === null) {
      document.title = appName;
      return;
    }
    document.title = documentTitle(level, level === 'ok' ? '' : t(`status.signal.${level}`), appName);
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.append(link);
    }
    link.type = 'image/svg+xml';
    link.href = faviconDataUrl(level);
    link.dataset.level = level;
  }, [level, t]);
}
