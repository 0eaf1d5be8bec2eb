/**
 * The incident list as one keyboard-driven listbox: arrows move, Page keys jump,
 * Enter opens. Only the rows on screen exist in the DOM (TanStack Virtual), so
 * 100,000 incidents scroll like 20. Focus stays on the list itself; the active row
 * is announced through aria-activedescendant and kept on the same incident across
 * refreshes.
 */
import { useEffect, useRef, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { IncidentSummary } from '../../../src-shared/api.ts';
import { PendingSyncMarker, SeverityBadge, StatusBadge } from './badges.tsx';
import type { IncidentPages } from './incident-pages.ts';
import { useLocalTime } from './use-local-time.ts';

export const ROW_HEIGHT = 52;

export interface ListSelection {
  index: number;
  id: string | null;
}

export function IncidentList(props: {
  pages: IncidentPages;
  selection: ListSelection;
  onSelect: (selection: ListSelection) => void;
  onOpen: (id: string) => void;
  listRef: RefObject<HTMLDivElement | null>;
}) {
  const { t } = useTranslation();
  const { pages, selection, onSelect } = props;
  useSyncExternalStore(pages.subscribe, pages.version);
  const total = pages.total() ?? 0;
  const listError = pages.error();
  const localTime = useLocalTime();
  const scrollRef = props.listRef;

  // The warning is for the React Compiler, which would leave this component unmemoised; the
  // renderer is not built with it (plain @vitejs/plugin-react), so nothing is lost here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    pages.ensure(first, last);
  }, [pages, first, last, total]);

  // Keep the selection on the same incident when rows shift (new incidents arrive on top).
  const selected = pages.row(selection.index);
  useEffect(() => {
    if (!selection.id) {
      if (selected) onSelect({ index: selection.index, id: selected.id });
      return;
    }
    if (selected?.id === selection.id) return;
    const moved = pages.indexOf(selection.id);
    if (moved !== -1) onSelect({ index: moved, id: selection.id });
  });

  // Scroll back to the selection when the list is shown again (returning from detail).
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || total === 0) return;
    restored.current = true;
    if (selection.index > 0) virtualizer.scrollToIndex(selection.index, { align: 'center' });
  }, [total, selection.index, virtualizer]);

  function move(index: number) {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    onSelect({ index: next, id: pages.row(next)?.id ?? null });
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selection.index + 1),
      ArrowUp: () => move(selection.index - 1),
      PageDown: () => move(selection.index + pageRows),
      PageUp: () => move(selection.index - pageRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => {
        const row = pages.row(selection.index);
        if (row) props.onOpen(row.id);
      },
    };
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  }

  const activeIndex = Math.min(selection.index, Math.max(0, total - 1));
  // Only a rendered row can be the active descendant; scrolled out of view, none is.
  const activeRendered = items.some((item) => item.index === activeIndex);
  // A listbox owns options only: what the list says about itself sits beside it (described-by).
  const empty = pages.total() === 0;
  const failed = listError !== null && pages.total() === null;
  const describedBy = [empty && 'incident-list-empty', failed && 'incident-list-error', 'incident-list-hint'];
  return (
    <div className="incident-list">
      <div className="incident-row incident-header" aria-hidden="true">
        <span>{t('field.severity')}</span>
        <span>{t('field.category')}</span>
        <span>{t('field.title')}</span>
        <span>{t('field.unit')}</span>
        <span>{t('field.status')}</span>
        <span>{t('field.occurredAt')}</span>
        <span>{t('field.pendingSync')}</span>
      </div>
      {empty && (
        <p id="incident-list-empty" className="list-empty">
          {t('list.empty')}
        </p>
      )}
      {failed && listError && (
        <p id="incident-list-error" className="list-error">
          <span aria-hidden="true">⚠ </span>
          {t(`error.${listError.code}`)}
        </p>
      )}
      <div
        ref={scrollRef}
        className="incident-scroll"
        role="listbox"
        tabIndex={0}
        aria-label={t('list.heading')}
        aria-describedby={describedBy.filter(Boolean).join(' ')}
        aria-activedescendant={total > 0 && activeRendered ? `incident-row-${activeIndex}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="incident-rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Row
              key={item.key}
              index={item.index}
              start={item.start}
              total={total}
              row={pages.row(item.index)}
              active={item.index === activeIndex}
              localTime={localTime}
              onClick={(row) => {
                onSelect({ index: item.index, id: row.id });
                props.onOpen(row.id);
              }}
            />
          ))}
        </div>
      </div>
      <p id="incident-list-hint" className="list-hint">
        {t('list.count', { count: total })} · {t('list.keyboardHint')}
      </p>
    </div>
  );
}

function Row(props: {
  index: number;
  start: number;
  total: number;
  row: IncidentSummary | undefined;
  active: boolean;
  localTime: (value: string) => string;
  onClick: (row: IncidentSummary) => void;
}) {
  const { t } = useTranslation();
  const { row } = props;
  return (
    <div
      id={`incident-row-${props.index}`}
      role="option"
      aria-selected={props.active}
      aria-setsize={props.total}
      aria-posinset={props.index + 1}
      className={`incident-row${props.active ? ' active' : ''}`}
      style={{ transform: `translateY(${props.start}px)` }}
      data-incident-id={row?.id}
      onClick={row ? () => props.onClick(row) : undefined}
    >
      {row ? (
        <>
          <SeverityBadge severity={row.severity} />
          <span className="cell-category">{t(`category.${row.category}`)}</span>
          <span className="cell-title">{row.title}</span>
          <span className="cell-unit">{row.unit}</span>
          <StatusBadge status={row.status} />
          <span className="cell-time">{props.localTime(row.occurredAt)}</span>
          <span>{row.pendingSync ? <PendingSyncMarker /> : null}</span>
        </>
      ) : (
        <span className="cell-loading">{t('list.loadingRow')}</span>
      )}
    </div>
  );
}
