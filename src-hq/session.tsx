/** Who is signed in to HQ, and the forms that get there: first-admin set-up and sign-in. */
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { HqAccount, HqSessionInfo } from '../src-shared/hq-wire.ts';
import { HqApiError, hqApi, onSessionLost, setCsrfToken } from './api.ts';
import { LanguageSwitch } from '../src-renderer/app/LanguageSwitch.tsx';

interface SessionValue {
  account: HqAccount;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionGate');
  return value;
}

export function SessionGate(props: { children: ReactNode }) {
  const [info, setInfo] = useState<HqSessionInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let current = true;
    hqApi.get<HqSessionInfo>('/v1/hq/session').then(
      (next) => {
        if (!current) return;
        setCsrfToken(next.signedIn ? next.csrfToken : null);
        setInfo(next);
      },
      (error: unknown) => current && setFailure(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
    };
  }, [epoch]);

  const reloadSession = useCallback(() => setEpoch((n) => n + 1), []);
  useEffect(() => onSessionLost(reloadSession), [reloadSession]);
  const load = useCallback(async () => reloadSession(), [reloadSession]);

  const signOut = useCallback(async () => {
    await hqApi.post('/v1/hq/logout');
    setCsrfToken(null);
    reloadSession();
  }, [reloadSession]);

  if (failure) return <p role="alert">{failure}</p>;
  if (!info) return null;
  if (!info.signedIn) {
    return info.setupNeeded ? <SetupForm onDone={load} /> : <SignInForm onDone={load} />;
  }
  return <SessionContext.Provider value={{ account: info.account, signOut }}>{props.children}</SessionContext.Provider>;
}

function errorText(t: TFunction, error: unknown): string {
  if (error instanceof HqApiError) {
    if (error.code === 'unauthenticated' && error.field === 'password') return t('hq.signIn.wrong');
    if (error.code === 'forbidden' && error.field === 'password') return t('hq.signIn.locked');
    if (error.field) return `${t('hq.error.field', { field: error.field })}: ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function GateFrame(props: { title: string; children: ReactNode }) {
  return (
    <main className="hq-gate">
      <div className="hq-gate-box">
        <p className="hq-brand">{'Guardline HQ'}</p>
        <h1>{props.title}</h1>
        {props.children}
        <LanguageSwitch />
      </div>
    </main>
  );
}

/** A refusal the form found itself (before asking the tracker); its message is shown as is. */
class GateRefusal extends Error {}

/**
 * The gate's forms share their whole life cycle: one submission at a time, the error shown in
 * an alert above the button, and the button released again only when the attempt failed (on
 * success the gate unmounts). `attempt` throws what the user should read, via `describe`.
 */
function GateForm(props: {
  submitLabel: string;
  attempt: (data: FormData) => Promise<void>;
  describe?: (failure: unknown) => string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await props.attempt(data);
    } catch (failure) {
      setError(
        failure instanceof GateRefusal ? failure.message : (props.describe ?? ((f) => errorText(t, f)))(failure),
      );
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="hq-form">
      {props.children}
      {error && (
        <p role="alert" className="hq-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}

function SignInForm(props: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const attempt = async (data: FormData) => {
    await hqApi.post('/v1/hq/login', { name: String(data.get('name')), password: String(data.get('password')) });
    await props.onDone();
  };
  return (
    <GateFrame title={t('hq.signIn.title')}>
      <GateForm submitLabel={t('hq.signIn.submit')} attempt={attempt}>
        <label>
          {t('hq.signIn.name')}
          <input name="name" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('hq.signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </GateForm>
    </GateFrame>
  );
}

function SetupForm(props: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const attempt = async (data: FormData) => {
    const name = String(data.get('name'));
    const password = String(data.get('password'));
    if (password !== String(data.get('repeat'))) throw new GateRefusal(t('hq.setup.mismatch'));
    await hqApi.post(
      '/v1/hq/setup',
      { name, password },
      { authorization: `Bearer ${String(data.get('token')).trim()}` },
    );
    await hqApi.post('/v1/hq/login', { name, password });
    await props.onDone();
  };
  const describe = (failure: unknown) =>
    failure instanceof HqApiError && failure.field === 'token' ? t('hq.setup.wrongToken') : errorText(t, failure);
  return (
    <GateFrame title={t('hq.setup.title')}>
      <p>{t('hq.setup.intro')}</p>
      <GateForm submitLabel={t('hq.setup.submit')} attempt={attempt} describe={describe}>
        <label>
          {t('hq.setup.token')}
          <input name="token" type="password" autoComplete="off" required autoFocus />
        </label>
        <label>
          {t('hq.signIn.name')}
          <input name="name" autoComplete="username" required />
        </label>
        <label>
          {t('hq.setup.password')}
          <input name="password" type="password" autoComplete="new-password" minLength={12} required />
        </label>
        <label>
          {t('hq.setup.repeat')}
          <input name="repeat" type="password" autoComplete="new-password" minLength={12} required />
        </label>
      </GateForm>
    </GateFrame>
  );
}
