/** What happened to an incident, oldest first: the event log itself, translated. */
import { useTranslation } from 'react-i18next';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { IncidentStatus } from '../../../src-shared/incident.ts';
import { eventTypeKey } from '../../i18n/index.ts';
import { useLocalTime } from './use-local-time.ts';

function EventDetail(props: { event: StoredEvent }) {
  const { t } = useTranslation();
  const { event } = props;
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  if (event.type === 'incident.status_changed') {
    const from = IncidentStatus.safeParse(payload.from);
    const to = IncidentStatus.safeParse(payload.to);
    if (!from.success || !to.success) return null;
    const reason = typeof payload.reason === 'string' && payload.reason ? ` – ${payload.reason}` : '';
    return (
      <span>
        {t(`status.${from.data}`)} → {t(`status.${to.data}`)}
        {reason}
      </span>
    );
  }
  if (event.type === 'incident.note_added' && typeof payload.text === 'string') {
    return <span className="timeline-text">{payload.text}</span>;
  }
  if (event.type === 'incident.updated' && payload.patch && typeof payload.patch === 'object') {
    return (
      <span>
        {Object.keys(payload.patch)
          .map((f) => t(`field.${f}`))
          .join(', ')}
      </span>
    );
  }
  return null;
}

export function Timeline(props: { events: readonly StoredEvent[] }) {
  const { t } = useTranslation();
  const localTime = useLocalTime();
  return (
    <ol className="timeline">
      {props.events.map((event) => (
        <li key={event.id}>
          <span className="timeline-type">{t(eventTypeKey(event.type))}</span>
          <EventDetail event={event} />
          <span className="timeline-meta">
            {event.actor} ·{' '}
            <time dateTime={new Date(event.deviceTime).toISOString()}>{localTime(event.deviceTime)}</time>
          </span>
          <small className="timeline-hlc">
            {t('detail.hlc')} {event.hlc}
          </small>
        </li>
      ))}
    </ol>
  );
}
