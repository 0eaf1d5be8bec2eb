/** Who is signed in on this console, and the three ways to leave: switch user, lock, sign out. */
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth-context.tsx';

export function UserBar() {
  const { t } = useTranslation();
  const auth = useAuth();
  const { gate } = auth;
  if (gate.kind !== 'app') return null;
  const { session } = gate;
  return (
    <div className="user-bar" role="group" aria-label={t('signIn.userBar')}>
      <span className="user-who" data-testid="signed-in-user">
        <span aria-hidden="true">● </span>
        <span className="user-name">{session.name}</span>
        <span className="user-role">{t(`staff.role.${session.role}`)}</span>
      </span>
      <button type="button" onClick={auth.startSwitch}>
        {t('signIn.switchUser')}
      </button>
      <button type="button" onClick={() => void auth.lock()}>
        {t('signIn.lock')}
      </button>
      <button type="button" onClick={() => void auth.signOut()}>
        {t('signIn.signOut')}
      </button>
    </div>
  );
}
