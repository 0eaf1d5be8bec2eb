/** The hash chain check: "Kedjan OK, N händelser", or the first event whose link is broken. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChainReport } from '../../../src-shared/api.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { JobProgress } from '../../app/JobProgress.tsx';

export function ChainStatus() {
  const { t } = useTranslation();
  const api = useApi();
  const [report, setReport] = useState<ChainReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(true);

  const check = useCallback(async () => {
    setChecking(true);
    const result = await api.call('store.verifyChain', {});
    setChecking(false);
    if (result.ok) {
      setReport(result.value);
      setError(null);
    } else setError(result.error);
  }, [api]);

  useEffect(() => {
    let live = true;
    void api.call('store.verifyChain', {}).then((result) => {
      if (!live) return;
      setChecking(false);
      if (result.ok) setReport(result.value);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <section className="audit-chain" aria-labelledby="audit-chain-heading">
      <h2 id="audit-chain-heading">{t('audit.chainHeading')}</h2>
      <p className="audit-chain-result" role="status" data-testid="chain-result">
        {checking && !report && t('audit.chainChecking')}
        {error && t(`error.${error.code}`)}
        {report?.ok && (
          <span className="audit-chain-ok">
            <span aria-hidden="true">✓ </span>
            {t('audit.chainOk', { count: report.checked })}
          </span>
        )}
        {report && !report.ok && (
          <span className="audit-chain-broken">
            <span aria-hidden="true">✕ </span>
            {report.firstBroken
              ? t('audit.chainBroken', {
                  seq: report.firstBroken.seq,
                  id: report.firstBroken.id,
                  reason: report.firstBroken.reason,
                })
              : t('audit.chainBrokenUnknown')}
          </span>
        )}
      </p>
      <JobProgress methods={['store.verifyChain']} />
      <button type="button" onClick={() => void check()} disabled={checking}>
        {checking ? t('audit.chainChecking') : t('audit.chainRecheck')}
      </button>
    </section>
  );
}
