/** Who did what, when: newest first, one row per event, its payload in one line. */
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-shared/audit.ts';
import { eventTypeKey } from '../../i18n/index.ts';
import { payloadText } from './model/payload-text.ts';

export function AuditTable(props: { items: readonly AuditEntry[] }) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <table className="audit-table">
      <caption className="visually-hidden">{t('audit.tableCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.col.time')}</th>
          <th scope="col">{t('audit.col.type')}</th>
          <th scope="col">{t('audit.col.actor')}</th>
          <th scope="col">{t('audit.col.stream')}</th>
          <th scope="col">{t('audit.col.payload')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((e) => (
          <tr key={e.id} data-seq={e.seq}>
            <td className="audit-time">{time.format(e.deviceTime)}</td>
            <td>{t(eventTypeKey(e.type), { defaultValue: e.type })}</td>
            <td className="audit-mono">{e.actor}</td>
            <td className="audit-mono audit-stream">{e.streamId}</td>
            <td className="audit-mono audit-payload">{payloadText(e.payload)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
