/** The list screen: search and filters on top, the virtualized list below. */
import { useEffect, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { IncidentFilters, type ListFilter } from './IncidentFilters.tsx';
import { IncidentList, type ListSelection } from './IncidentList.tsx';
import type { IncidentPages } from './incident-pages.ts';

export function IncidentsScreen(props: {
  pages: IncidentPages;
  filter: ListFilter;
  onFilter: (filter: ListFilter) => void;
  selection: ListSelection;
  onSelect: (selection: ListSelection) => void;
  onOpen: (id: string) => void;
  onNew: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    listRef.current?.focus();
  }, []);

  return (
    <section className="incidents-screen" aria-labelledby="incidents-heading">
      <div className="toolbar">
        <h1 id="incidents-heading">{t('list.heading')}</h1>
        <button type="button" className="primary new-incident" aria-keyshortcuts="N Alt+N" onClick={props.onNew}>
          <span aria-hidden="true">+ </span>
          {t('form.open')}
          <kbd aria-hidden="true">N</kbd>
        </button>
      </div>
      <IncidentFilters
        filter={props.filter}
        onChange={props.onFilter}
        searchRef={props.searchRef}
        onLeaveSearch={() => listRef.current?.focus()}
      />
      <IncidentList
        pages={props.pages}
        selection={props.selection}
        onSelect={props.onSelect}
        onOpen={props.onOpen}
        listRef={listRef}
      />
    </section>
  );
}
