/**
 * Enrolled consoles per facility with their last contact; an HQ admin revokes one
 * (after confirming) and creates one-time enrolment codes for a facility.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentCodeResponse, HqDevice } from '../../src-shared/sync-wire.ts';
import { relativeTime } from '../../src-renderer/features/status/model/relative-time.ts';
import { useLocalTime } from '../../src-renderer/features/incidents/use-local-time.ts';
import { hqApi, uploadFiles } from '../api.ts';
import { useSession } from '../session.tsx';
import { useFacilities } from '../use-facilities.ts';
import { useHqData, useNow } from '../use-hq-data.ts';

interface ReleaseStatus {
  configured: boolean;
  current: { version: string; files: string[] } | null;
  refused: { reason: string } | null;
}

export function DevicesPage() {
  const { t, i18n } = useTranslation();
  const { account } = useSession();
  const admin = account.role === 'admin';
  const now = useNow();
  const localTime = useLocalTime();
  const facilities = useFacilities();
  const { data, error, reload } = useHqData<{ devices: HqDevice[] }>('/v1/hq/devices');
  const [message, setMessage] = useState<string | null>(null);
  const [code, setCode] = useState<EnrolmentCodeResponse | null>(null);
  const releases = useHqData<ReleaseStatus>('/v1/hq/releases', { live: false });

  const reloadReleases = async () => {
    try {
      const { version } = await hqApi.post<{ version: string }>('/v1/admin/releases/reload');
      setMessage(t('hq.releases.loaded', { version }));
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : String(failure));
    }
    releases.reload();
  };

  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  const uploadRelease = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setMessage(null);
    setUpload({ sent: 0, total: 0 });
    try {
      const { version } = await uploadFiles<{ version: string }>('/v1/hq/releases', form, (sent, total) =>
        setUpload({ sent, total }),
      );
      setMessage(t('hq.releases.uploaded', { version }));
      formElement.reset();
    } catch (failure) {
      setMessage(
        t('hq.releases.uploadRefused', { reason: failure instanceof Error ? failure.message : String(failure) }),
      );
    } finally {
      setUpload(null);
    }
    releases.reload();
  };

  const revoke = async (device: HqDevice) => {
    const label = device.label || device.deviceId;
    if (!window.confirm(t('hq.devices.confirmRevoke', { label }))) return;
    try {
      await hqApi.post(`/v1/admin/devices/${encodeURIComponent(device.id)}/revoke`);
      setMessage(t('hq.devices.revoked', { label }));
      reload();
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const createCode = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const name = String(form.get('name') ?? '').trim();
      const created = await hqApi.post<EnrolmentCodeResponse>('/v1/admin/enrolment-codes', {
        facility: String(form.get('facility')).trim(),
        ttlMinutes: Number(form.get('ttl')),
        ...(name ? { name } : {}),
      });
      setCode(created);
      setMessage(null);
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">{t('hq.devices.title')}</h1>
      {message && (
        <p role="status" className="hq-message">
          {message}
        </p>
      )}
      {admin && (
        <form className="hq-filters" onSubmit={(e) => void createCode(e)} aria-labelledby="code-title">
          <h2 id="code-title" className="hq-form-title">
            {t('hq.devices.newCode')}
          </h2>
          <label>
            {t('hq.devices.facilityId')}
            <input name="facility" list="hq-facility-ids" required maxLength={120} />
            <datalist id="hq-facility-ids">
              {facilities.list.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </datalist>
          </label>
          <label>
            {t('hq.devices.facilityName')}
            <input name="name" maxLength={120} />
          </label>
          <label>
            {t('hq.devices.ttl')}
            <select name="ttl" defaultValue="60">
              <option value="15">15 min</option>
              <option value="60">60 min</option>
              <option value="1440">24 h</option>
            </select>
          </label>
          <button type="submit" className="primary">
            {t('hq.devices.create')}
          </button>
        </form>
      )}
      {code && (
        <p className="hq-code" data-testid="enrolment-code">
          {t('hq.devices.codeFor', { facility: facilities.nameOf(code.facility) })} <strong>{code.code}</strong> ·{' '}
          {t('hq.devices.validUntil', { time: localTime(code.expiresAt) })}
        </p>
      )}
      <section aria-labelledby="releases-title">
        <h2 id="releases-title">{t('hq.releases.title')}</h2>
        {releases.data && !releases.data.configured && <p>{t('hq.releases.notConfigured')}</p>}
        {releases.data?.current && (
          <p data-testid="release-current">
            {t('hq.releases.current', {
              version: releases.data.current.version,
              files: releases.data.current.files.join(', '),
            })}
          </p>
        )}
        {releases.data?.refused && (
          <p className="hq-alarm-text">{t('hq.releases.refused', { reason: releases.data.refused.reason })}</p>
        )}
        {admin && releases.data?.configured && (
          <>
            <form className="hq-form" onSubmit={(e) => void uploadRelease(e)} data-testid="release-upload">
              <label>
                {t('hq.releases.files')}
                <input
                  type="file"
                  name="files"
                  multiple
                  required
                  accept=".yml,.exe,.AppImage,.deb,.dmg,.zip,.blockmap"
                />
              </label>
              <p className="muted">{t('hq.releases.filesHint')}</p>
              <button type="submit" disabled={upload !== null}>
                {t('hq.releases.upload')}
              </button>
              {upload && (
                <p role="status">
                  <progress max={upload.total || 1} value={upload.sent} aria-label={t('hq.releases.uploading')} />{' '}
                  {upload.total > 0
                    ? t('hq.releases.progress', {
                        sent: Math.round(upload.sent / 1_048_576),
                        total: Math.round(upload.total / 1_048_576),
                      })
                    : t('hq.releases.uploading')}
                </p>
              )}
            </form>
            <button type="button" onClick={() => void reloadReleases()}>
              {t('hq.releases.reload')}
            </button>
          </>
        )}
      </section>
      <h2>{t('hq.devices.enrolledTitle')}</h2>
      {error && <p role="alert">{error}</p>}
      {data && (
        <table className="hq-table" data-testid="devices-table">
          <caption className="visually-hidden">{t('hq.devices.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hq.devices.label')}</th>
              <th scope="col">{t('hq.col.facility')}</th>
              <th scope="col">{t('hq.devices.enrolled')}</th>
              <th scope="col">{t('hq.devices.lastContact')}</th>
              <th scope="col">{t('field.status')}</th>
              {admin && <th scope="col">{t('hq.devices.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {data.devices.map((d) => (
              <tr key={d.id} data-testid={`device-${d.deviceId}`}>
                <th scope="row">{d.label || d.deviceId}</th>
                <td>{facilities.nameOf(d.facility)}</td>
                <td>{localTime(d.createdAt)}</td>
                <td>{d.lastSeenAt === null ? '–' : relativeTime(d.lastSeenAt, now, i18n.language)}</td>
                <td>
                  {d.revokedAt === null
                    ? t('hq.devices.active')
                    : t('hq.devices.revokedAt', { time: localTime(d.revokedAt) })}
                </td>
                {admin && (
                  <td>
                    {d.revokedAt === null && (
                      <button type="button" className="danger" onClick={() => void revoke(d)}>
                        {t('hq.devices.revoke', { label: d.label || d.deviceId })}
                      </button>
                    )}
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
