/** One incident at HQ, read-only: its fields, notes and the full timeline of its events. */
import { useTranslation } from 'react-i18next';
import type { StoredEvent } from '../../src-shared/events.ts';
import type { Incident } from '../../src-shared/incident.ts';
import type { PulledEvent } from '../../src-shared/sync-wire.ts';
import { Timeline } from '../../src-renderer/features/incidents/Timeline.tsx';
import { useLocalTime } from '../../src-renderer/features/incidents/use-local-time.ts';
import { query } from '../api.ts';
import { href } from '../route.ts';
import { useFacilities } from '../use-facilities.ts';
import { useHqData } from '../use-hq-data.ts';

/** The console's timeline reads stored events; a pulled event has all it shows. */
function asStored(e: PulledEvent): StoredEvent {
  return { ...e, seq: e.serverSeq, prevHash: '', hash: '', syncedAt: e.receivedAt, serverSeq: e.serverSeq };
}

export function IncidentPage(props: { facility: string; id: string }) {
  const { t } = useTranslation();
  const localTime = useLocalTime();
  const { nameOf } = useFacilities();
  const { data, error } = useHqData<{ incident: Incident; events: PulledEvent[] }>(
    `/v1/hq/incident${query({ facility: props.facility, id: props.id })}`,
    { facility: props.facility },
  );
  const back = (
    <p>
      <a href={href({ page: 'incidents' })}>{t('hq.incidents.back')}</a>
    </p>
  );
  if (error) {
    return (
      <section>
        {back}
        <p role="alert">{error}</p>
      </section>
    );
  }
  if (!data) return <p>{t('hq.loading')}</p>;
  const { incident, events } = data;
  const fields: [string, string][] = [
    [t('field.facility'), nameOf(props.facility)],
    [t('field.unit'), incident.unit],
    [t('field.category'), t(`category.${incident.category}`)],
    [t('field.severity'), t(`severity.${incident.severity}`)],
    [t('field.status'), t(`status.${incident.status}`)],
    [t('field.occurredAt'), localTime(incident.occurredAt)],
    [t('field.reportedBy'), incident.reportedBy],
    [t('field.location'), incident.location || '–'],
    [t('field.peopleInvolved'), incident.peopleInvolved.join(', ') || '–'],
  ];
  return (
    <section aria-labelledby="incident-title">
      {back}
      <h1 id="incident-title">{incident.title}</h1>
      <dl className="hq-fields">
        {fields.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {incident.description && <p className="hq-description">{incident.description}</p>}
      <h2>{t('detail.notes')}</h2>
      {incident.notes.length === 0 ? (
        <p>{t('detail.noNotes')}</p>
      ) : (
        <ul>
          {incident.notes.map((n) => (
            <li key={n.id}>{n.text}</li>
          ))}
        </ul>
      )}
      <h2>{t('detail.timeline')}</h2>
      <Timeline events={events.map(asStored)} />
    </section>
  );
}
