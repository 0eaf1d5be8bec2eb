/** The sign-in feature's public face: the auth state, the gate in front of the app, and the header's user bar. */
export { AuthProvider, useAuth, type Auth } from './auth-context.tsx';
export { AuthGate } from './AuthGate.tsx';
export { UserBar } from './UserBar.tsx';
export type { Gate } from './model/gate.ts';
