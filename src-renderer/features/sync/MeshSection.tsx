/**
 * The Synk page's mesh section: the other consoles of the facility as this one sees them
 * over the LAN (name, unit, state in words, last seen, events behind), and for admins
 * pairing by one-time code, removing a console this console should no longer trust, and
 * revoking a console for the whole facility (a signed record every console and the tracker
 * obey), after a confirmation that says what it does.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeshPairingCode, MeshPeerStatus, MeshStatus } from '../../../src-shared/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { behindText, peerIcon, peerName, peerStateText, peerTone, routeText, routeTone } from './model/mesh-text.ts';
import { render } from './model/sync-text.ts';
import { relativeTime } from './model/time-text.ts';
import { useNow } from './use-now.ts';

const TICK_MS = 5_000;

export function MeshSection(props: { mesh: MeshStatus; isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const now = useNow(TICK_MS);
  const { mesh } = props;

  async function remove(peer: MeshPeerStatus) {
    if (!peer.deviceId) return;
    if (!window.confirm(t('mesh.peer.removeConfirm', { name: peerName(peer) }))) return;
    const result = await api.call('mesh.removePeer', { deviceId: peer.deviceId });
    if (result.ok) toasts.info(t('mesh.peer.removed', { name: peerName(peer) }));
    else toasts.apiError(result.error);
  }

  const [revoking, setRevoking] = useState<MeshPeerStatus | null>(null);

  return (
    <section className="sync-section" aria-labelledby="mesh-heading" data-testid="mesh-section">
      <h2 id="mesh-heading">{t('mesh.heading')}</h2>
      <p className="mesh-explain">{t(mesh.enabled ? 'mesh.explain' : 'mesh.off')}</p>
      <p className={`mesh-route-line sync-tone-${routeTone(mesh.route)}`} data-testid="mesh-route">
        {t('mesh.route.label')}: <strong>{render(t, routeText(mesh.route))}</strong>
      </p>
      {mesh.enabled && (
        <dl className="sync-facts">
          <dt>{t('mesh.listening')}</dt>
          <dd>{mesh.listening ?? t('sync.page.none')}</dd>
          <dt>{t('mesh.fingerprint')}</dt>
          <dd>
            <code>{mesh.fingerprint?.replace(/(.{4})/g, '$1 ').trim() ?? t('sync.page.none')}</code>
          </dd>
          <dt>{t('mesh.discovery.label')}</dt>
          <dd data-testid="mesh-discovery">
            {mesh.discovery
              ? t('mesh.discovery.on', { heard: mesh.discovery.heard, dialable: mesh.discovery.dialable })
              : t('mesh.discovery.off')}
          </dd>
        </dl>
      )}
      {mesh.peers.length === 0 ? (
        mesh.enabled && <p>{t('mesh.none')}</p>
      ) : (
        <table className="mesh-peers" data-testid="mesh-peers">
          <thead>
            <tr>
              <th scope="col">{t('mesh.col.name')}</th>
              <th scope="col">{t('mesh.col.unit')}</th>
              <th scope="col">{t('mesh.col.state')}</th>
              <th scope="col">{t('mesh.col.lastSeen')}</th>
              <th scope="col">{t('mesh.col.behind')}</th>
              {props.isAdmin && <th scope="col">{t('mesh.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {mesh.peers.map((peer) => (
              <tr key={peer.deviceId ?? peer.address ?? '?'}>
                <th scope="row">{peerName(peer)}</th>
                <td>{peer.unit ?? '–'}</td>
                <td className={`sync-tone-${peerTone(peer.state)}`}>
                  <span aria-hidden="true">{peerIcon(peer.state)} </span>
                  {render(t, peerStateText(peer))}
                  {peer.refusal && <span className="muted"> ({peer.refusal})</span>}
                </td>
                <td>
                  {peer.state === 'connected'
                    ? t('mesh.peer.state.connected')
                    : peer.lastSeenAt === null
                      ? t('mesh.peer.never')
                      : relativeTime(peer.lastSeenAt, now, i18n.language)}
                </td>
                <td>{render(t, behindText(peer))}</td>
                {props.isAdmin && (
                  <td>
                    {peer.deviceId && (
                      <>
                        <button type="button" onClick={() => void remove(peer)}>
                          {t('mesh.peer.remove', { name: peerName(peer) })}
                        </button>{' '}
                        <button type="button" className="danger" onClick={() => setRevoking(peer)}>
                          {t('mesh.peer.revoke', { name: peerName(peer) })}
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.isAdmin && revoking && <RevokeConfirm peer={revoking} onClose={() => setRevoking(null)} />}
      {props.isAdmin && <Pairing />}
    </section>
  );
}

/** Facility-wide revocation cannot be undone: say what it does, ask for a reason, confirm. */
function RevokeConfirm(props: { peer: MeshPeerStatus; onClose(): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const name = peerName(props.peer);

  async function revoke(event: FormEvent) {
    event.preventDefault();
    if (!props.peer.deviceId) return;
    setBusy(true);
    const result = await api.call('mesh.revokeDevice', { deviceId: props.peer.deviceId, reason });
    setBusy(false);
    if (result.ok) {
      toasts.info(t('mesh.revoke.done', { name }));
      props.onClose();
    } else toasts.apiError(result.error);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') props.onClose();
  }

  return (
    <form
      className="mesh-revoke"
      role="alertdialog"
      aria-labelledby="mesh-revoke-heading"
      aria-describedby="mesh-revoke-explain"
      data-testid="mesh-revoke"
      onSubmit={(e) => void revoke(e)}
      onKeyDown={onKeyDown}
    >
      <h3 id="mesh-revoke-heading">{t('mesh.revoke.heading', { name })}</h3>
      <p id="mesh-revoke-explain">{t('mesh.revoke.explain', { name })}</p>
      <div className="sync-field">
        <label htmlFor="mesh-revoke-reason">{t('mesh.revoke.reason')}</label>
        <input
          id="mesh-revoke-reason"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          autoComplete="off"
          autoFocus
        />
      </div>
      <button type="submit" className="danger" disabled={busy}>
        {t('mesh.revoke.confirm', { name })}
      </button>{' '}
      <button type="button" onClick={props.onClose}>
        {t('mesh.revoke.cancel')}
      </button>
    </form>
  );
}

function Pairing() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [shown, setShown] = useState<MeshPairingCode | null>(null);
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function show() {
    const result = await api.call('mesh.pairingCode', {});
    if (result.ok) setShown(result.value);
    else toasts.apiError(result.error);
  }

  async function pair(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api.call('mesh.pair', { address, code });
    setBusy(false);
    if (result.ok) {
      toasts.info(t('mesh.pair.done', { name: result.value.name ?? result.value.deviceId }));
      setCode('');
    } else setError(result.error.message);
  }

  return (
    <div className="mesh-pairing">
      <h3>{t('mesh.pair.heading')}</h3>
      <p className="sync-hint">{t('mesh.pair.explain')}</p>
      <button type="button" onClick={() => void show()}>
        {t('mesh.pair.show')}
      </button>
      {shown && (
        <p role="status" data-testid="mesh-pairing-code">
          {t('mesh.pair.code')}: <strong className="mesh-code">{shown.code.replace(/^(.{5})/, '$1-')}</strong>
          {shown.address && <> · {shown.address}</>} ·{' '}
          {t('mesh.pair.expires', { time: new Date(shown.expiresAt).toLocaleTimeString(i18n.language) })}
        </p>
      )}
      <form className="sync-enrol" noValidate onSubmit={(e) => void pair(e)}>
        <div className="sync-field">
          <label htmlFor="mesh-pair-address">{t('mesh.pair.address')}</label>
          <input
            id="mesh-pair-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="sync-field">
          <label htmlFor="mesh-pair-code">{t('mesh.pair.enter')}</label>
          <input
            id="mesh-pair-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        {error && (
          <p className="sync-form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('mesh.pair.submit')}
        </button>
      </form>
    </div>
  );
}
