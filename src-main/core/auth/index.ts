export { createAuthService, DEFAULT_IDLE_LOCK_MS, type AuthService } from './service.ts';
export { createAccessCheck } from './authorize.ts';
export { authApp } from './app.ts';
export { createRoster, staffProjector, type Roster } from './roster.ts';
export { LOCKOUT_AFTER_FAILURES, LOCKOUT_MS } from './lockout.ts';
export { DEFAULT_PIN_PARAMS, type ScryptParams } from '../../../src-common/pin-hash.ts';
