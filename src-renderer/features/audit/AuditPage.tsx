/**
 * Granskning (admins): the hash chain check, and the audit trail filtered by staff
 * member, incident and time. Export takes every matching event as CSV; it is logged
 * (`audit.exportLogged`) before the file is handed over, and a refused log means no file.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-shared/audit.ts';
import type { CallResult } from '../../../src-shared/transport.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { ChainStatus } from './ChainStatus.tsx';
import { auditCsv, auditCsvName } from './model/audit-csv.ts';
import { exportFilters } from './model/audit-filter.ts';
import { saveFile } from '../../app/download.ts';
import { useAuditLog, type AuditQuery } from './use-audit-log.ts';
import './audit.css';

/** An export reads at most this many events; a wider one asks for a narrower filter. */
const EXPORT_PAGE = 1000;
const EXPORT_MAX_PAGES = 100;

export function AuditPage() {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [query, setQuery] = useState<AuditQuery>({});
  const log = useAuditLog(query);
  const [exporting, setExporting] = useState(false);

  async function exportCsv() {
    setExporting(true);
    try {
      const entries: AuditEntry[] = [];
      let beforeSeq: number | null = null;
      for (let page = 0; page < EXPORT_MAX_PAGES; page++) {
        const result: CallResult<'audit.query'> = await api.call('audit.query', {
          ...query,
          limit: EXPORT_PAGE,
          ...(beforeSeq !== null ? { beforeSeq } : {}),
        });
        if (!result.ok) return toasts.apiError(result.error);
        entries.push(...result.value.items);
        beforeSeq = result.value.nextBeforeSeq;
        if (beforeSeq === null) break;
      }
      if (beforeSeq !== null) return toasts.error(t('audit.exportTooMany', { count: entries.length }));
      // The export is a fact in the log before the data leaves the console.
      const logged = await api.call('audit.exportLogged', {
        kind: 'audit-trail',
        filters: exportFilters(query),
        count: entries.length,
      });
      if (!logged.ok) return toasts.apiError(logged.error);
      saveFile(auditCsvName(t('audit.fileName'), new Date()), auditCsv(entries), 'text/csv;charset=utf-8');
      toasts.info(t('audit.exported', { count: entries.length }));
    } finally {
      setExporting(false);
    }
  }

  return (
    <section className="audit-page" aria-labelledby="audit-heading">
      <h1 id="audit-heading">{t('audit.heading')}</h1>
      <ChainStatus />
      <h2>{t('audit.trailHeading')}</h2>
      <AuditFilters onApply={setQuery} />
      <div className="audit-toolbar">
        <span role="status">{log.items ? t('audit.shown', { count: log.items.length }) : t('audit.loading')}</span>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          <span aria-hidden="true">⤓ </span>
          {exporting ? t('audit.exporting') : t('audit.export')}
        </button>
      </div>
      {log.error && <p className="audit-error">{t(`error.${log.error.code}`)}</p>}
      {log.items && log.items.length === 0 && <p className="muted">{t('audit.empty')}</p>}
      {log.items && log.items.length > 0 && <AuditTable items={log.items} />}
      {log.hasOlder && (
        <button type="button" onClick={() => void log.loadOlder()} disabled={log.loading}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
