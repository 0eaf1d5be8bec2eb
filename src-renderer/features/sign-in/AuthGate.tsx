/**
 * Shows the app only to a signed-in staff member; otherwise the first-run setup, the
 * sign-in screen or the lock screen. The shell around it (header, alarm banner, phone
 * status) stays visible whatever this shows: alarms and phone status are public.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth-context.tsx';
import { SetupScreen } from './SetupScreen.tsx';
import { SignInScreen } from './SignInScreen.tsx';
import { useActivityTouch } from './use-activity-touch.ts';
import './sign-in.css';

export function AuthGate(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const { gate } = useAuth();
  useActivityTouch(gate.kind === 'app');
  switch (gate.kind) {
    case 'loading':
      return (
        <p className="gate-loading" role="status">
          {t('signIn.loading')}
        </p>
      );
    case 'setup':
      return <SetupScreen />;
    case 'sign-in':
    case 'locked':
    case 'switch':
      // Keyed so a lock screen for one person never keeps what was typed for another.
      return <SignInScreen key={gate.kind === 'locked' ? `locked:${gate.staffNumber}` : gate.kind} mode={gate} />;
    case 'app':
      return props.children;
  }
}
