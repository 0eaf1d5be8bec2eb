/**
 * Events the tracker refused: kept on this console, never retried on their own. An
 * admin can "Släpp" one (after fixing the cause at HQ), which queues it for sending.
 * Reloaded whenever the quarantine count in the status changes.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuarantinedEvent } from '../../../src-shared/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { eventTypeKey } from '../../i18n/index.ts';

export function QuarantineList(props: {
  quarantined: number;
  mayRelease: boolean;
  onOpenIncident: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [items, setItems] = useState<QuarantinedEvent[] | null>(null);
  const [releasing, setReleasing] = useState<string | null>(null);

  /** Bumped to read the list again after a release, whatever the count says. */
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('sync.quarantine', {}).then((result) => {
      if (live && result.ok) setItems(result.value.items);
    });
    return () => {
      live = false;
    };
  }, [api, props.quarantined, epoch]);

  async function release(item: QuarantinedEvent) {
    setReleasing(item.eventId);
    const result = await api.call('sync.releaseQuarantine', { eventId: item.eventId });
    setReleasing(null);
    if (result.ok) toasts.info(t('sync.quarantine.released', { type: t(eventTypeKey(item.type)) }));
    else toasts.apiError(result.error);
    setEpoch((n) => n + 1);
  }

  const when = (at: number) => new Date(at).toLocaleString(i18n.language);

  return (
    <section className="sync-section" aria-labelledby="sync-quarantine-heading">
      <h2 id="sync-quarantine-heading">{t('sync.quarantine.heading', { count: props.quarantined })}</h2>
      <p className="sync-hint">{t('sync.quarantine.intro')}</p>
      {items === null ? (
        <p className="muted">{t('sync.quarantine.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('sync.quarantine.empty')}</p>
      ) : (
        <table className="sync-quarantine">
          <thead>
            <tr>
              <th scope="col">{t('sync.quarantine.type')}</th>
              <th scope="col">{t('sync.quarantine.stream')}</th>
              <th scope="col">{t('sync.quarantine.code')}</th>
              <th scope="col">{t('sync.quarantine.field')}</th>
              <th scope="col">{t('sync.quarantine.message')}</th>
              <th scope="col">{t('sync.quarantine.when')}</th>
              {props.mayRelease && (
                <th scope="col">
                  <span className="visually-hidden">{t('sync.quarantine.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.eventId}>
                <td>{t(eventTypeKey(item.type), { defaultValue: item.type })}</td>
                <td>
                  {item.type.startsWith('incident.') ? (
                    <button type="button" className="sync-link" onClick={() => props.onOpenIncident(item.streamId)}>
                      {t('sync.quarantine.openIncident')}
                      <span className="visually-hidden"> {item.streamId}</span>
                    </button>
                  ) : (
                    <code>{item.streamId}</code>
                  )}
                </td>
                <td>
                  <code>{item.code}</code>
                </td>
                <td>{item.field ? <code>{item.field}</code> : t('sync.page.none')}</td>
                <td className="sync-quarantine-message">{item.message}</td>
                <td>{when(item.quarantinedAt)}</td>
                {props.mayRelease && (
                  <td>
                    <button
                      type="button"
                      onClick={() => void release(item)}
                      disabled={releasing === item.eventId}
                      aria-label={t('sync.quarantine.releaseNamed', { type: t(eventTypeKey(item.type)) })}
                    >
                      {t('sync.quarantine.release')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
