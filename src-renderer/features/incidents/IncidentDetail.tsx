/** One incident in full: fields, legal status changes, notes, the event timeline and conflicts. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../src-shared/incident.ts';
import { PendingSyncMarker, SeverityBadge, StatusBadge } from './badges.tsx';
import { NoteForm } from './NoteForm.tsx';
import { StatusActions } from './StatusActions.tsx';
import { Timeline } from './Timeline.tsx';
import { useIncident } from './use-incident.ts';
import { useLocalTime } from './use-local-time.ts';
import { EscalationPanel } from '../alarms/index.ts';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';

export function IncidentDetail(props: { id: string; onBack: () => void }) {
  const { t } = useTranslation();
  const { data, error, reload, replace } = useIncident(props.id);
  const [noteDraft, setNoteDraft] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const localTime = useLocalTime();
  const incident = data?.incident;
  const loaded = incident !== undefined;

  useEffect(() => {
    if (loaded) headingRef.current?.focus();
  }, [loaded]);

  // Esc goes back, unless it would throw away a note being written.
  const onBack = props.onBack;
  useWindowKeydown((event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (event.target instanceof HTMLTextAreaElement && event.target.value.trim() !== '') return;
    event.preventDefault();
    onBack();
  });

  const changed = (next: Incident) => {
    if (data) replace({ ...data, incident: next });
    reload(); // the timeline grew too
  };

  return (
    <section className="detail-screen" aria-labelledby="detail-heading">
      <div className="toolbar">
        <button type="button" onClick={props.onBack} aria-keyshortcuts="Escape">
          <span aria-hidden="true">← </span>
          {t('detail.back')} <kbd aria-hidden="true">Esc</kbd>
        </button>
      </div>
      {!incident ? (
        <p className="detail-loading">{error ? t(`error.${error.code}`) : t('detail.loading')}</p>
      ) : (
        <div className="detail-grid">
          <div className="detail-main">
            <h1 id="detail-heading" ref={headingRef} tabIndex={-1}>
              {incident.title}
            </h1>
            <p className="detail-badges">
              <SeverityBadge severity={incident.severity} />
              <StatusBadge status={incident.status} />
              <span className="category-badge">{t(`category.${incident.category}`)}</span>
              {data.timeline.some((e) => e.syncedAt === null) && <PendingSyncMarker />}
            </p>
            <dl className="detail-fields">
              <dt>{t('field.occurredAt')}</dt>
              <dd>{localTime(incident.occurredAt)}</dd>
              <dt>{t('field.facility')}</dt>
              <dd>{incident.facility}</dd>
              <dt>{t('field.unit')}</dt>
              <dd>{incident.unit}</dd>
              <dt>{t('field.location')}</dt>
              <dd>{incident.location || t('detail.none')}</dd>
              <dt>{t('field.reportedBy')}</dt>
              <dd>{incident.reportedBy}</dd>
              <dt>{t('field.peopleInvolved')}</dt>
              <dd>{incident.peopleInvolved.length > 0 ? incident.peopleInvolved.join(', ') : t('detail.none')}</dd>
              <dt>{t('field.description')}</dt>
              <dd className="detail-description">{incident.description || t('detail.none')}</dd>
            </dl>
            <StatusActions incident={incident} onChanged={changed} />
            <EscalationPanel incidentId={incident.id} incidentStatus={incident.status} />
            <h2>{t('detail.notes')}</h2>
            {incident.notes.length === 0 ? (
              <p className="muted">{t('detail.noNotes')}</p>
            ) : (
              <ul className="notes">
                {incident.notes.map((note) => (
                  <li key={note.id}>
                    <p className="note-text">{note.text}</p>
                    <p className="note-meta">
                      {note.author} · {localTime(note.deviceTime)}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            <NoteForm incidentId={incident.id} draft={noteDraft} onDraft={setNoteDraft} onAdded={changed} />
          </div>
          <aside className="detail-side" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t('detail.timeline')}</h2>
            <Timeline events={data.timeline} />
            {incident.conflicts.length > 0 && (
              <>
                <h2>{t('detail.conflicts')}</h2>
                <ul className="conflicts">
                  {incident.conflicts.map((c) => (
                    <li key={c.eventId}>
                      <span aria-hidden="true">⚠ </span>
                      <strong>{t(`conflictKind.${c.kind}`)}</strong> – {c.detail}
                      <small className="timeline-hlc">
                        {' '}
                        {t('detail.hlc')} {c.hlc} · {c.deviceId}
                      </small>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}
