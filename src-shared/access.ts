/**
 * Who may call what: one entry per console API method, checked by the core's
 * `dispatch` before any handler runs (the UI hiding a button is a courtesy, not
 * the control). The map is typed as a complete record, so a method added to the
 * contract without an access rule does not compile; dispatch also refuses a method
 * it finds no rule for.
 *
 * - `public`: anyone at the workstation, signed in or not (sign-in itself, alarms).
 * - `signed-in`: any staff member with a session (guards log and read).
 * - `supervisor`, `admin`: that role or higher (admin ⊇ supervisor ⊇ guard).
 */
import type { MethodName } from './api.ts';
import { roleAtLeast, type Role } from './staff.ts';

export const ACCESS_LEVELS = ['public', 'signed-in', 'supervisor', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const METHOD_ACCESS: Readonly<Record<MethodName, AccessLevel>> = {
  'system.info': 'public',

  'auth.session': 'public',
  'auth.signIn': 'public',
  'auth.signOut': 'public',
  'auth.bootstrapAdmin': 'public', // refused by the handler once the roster has anyone on it
  'auth.lock': 'signed-in',
  'auth.touch': 'signed-in',
  'auth.changePin': 'signed-in',

  'staff.list': 'signed-in',
  'staff.enroll': 'admin',
  'staff.update': 'admin',
  'staff.setPin': 'admin',

  'incidents.create': 'signed-in',
  'incidents.update': 'signed-in',
  'incidents.setStatus': 'signed-in',
  'incidents.addNote': 'signed-in',
  'incidents.list': 'signed-in',
  'incidents.get': 'signed-in',

  // A locked console still shows its unit's alarm, so whoever walks up sees it.
  'alarms.list': 'public',
  'escalation.list': 'signed-in',
  'escalation.get': 'signed-in',
  'escalation.start': 'supervisor',
  'escalation.acknowledge': 'supervisor',

  'audit.query': 'admin',
  'audit.exportLogged': 'signed-in', // the handler requires the role each export kind names
  'store.verifyChain': 'admin',
  'retention.status': 'admin',
  'retention.run': 'admin',

  'sync.status': 'signed-in',
  'sync.retryNow': 'signed-in',
  'sync.quarantine': 'signed-in',
  'sync.enroll': 'admin',
  'sync.previewEnrolment': 'admin',
  'sync.updateAvailable': 'signed-in',
  // Whoever stands at the console sees that it restarts into a new version.
  'update.status': 'public',
  'sync.releaseQuarantine': 'admin',
  'mesh.pairingCode': 'admin',
  'mesh.pair': 'admin',
  'mesh.removePeer': 'admin',
  'mesh.revokeDevice': 'admin',

  // Phone status and the fallback banner stay visible on a locked console, like alarms.
  'lines.board': 'public',
  'lines.history': 'signed-in',
  'lines.reportProblem': 'signed-in',
  // Test calls (issue 17): anyone signed in may dial one ("Test call now"); only admins store a line's password.
  'voice.status': 'signed-in',
  'voice.testNow': 'signed-in',
  'voice.setCredential': 'admin',
  'outages.list': 'signed-in',
  'outages.confirm': 'supervisor',
  'outages.dismiss': 'supervisor',
  'outages.resolve': 'supervisor',
  // Outage evidence (issue 7): anyone signed in reads it; supervisors record the carrier's
  // answers and take the evidence out (exports are logged as audit.exported).
  'ledger.get': 'signed-in',
  'ledger.setCarrierTicket': 'supervisor',
  'reports.period': 'signed-in',
  'reports.ledgerPage': 'signed-in',
  'reports.exportTmf621': 'supervisor',
  'reports.exportPdf': 'supervisor',
  'config.status': 'signed-in',
  'demo.status': 'public',
  'demo.setLineFault': 'signed-in',
  // Quitting stops line probes, escalation timers and alarms on this workstation.
  'console.quit': 'supervisor',
};

/**
 * Allowed without a session while the console's roster is empty (first run): a new
 * console joins its facility with a one-time enrolment code from the tracker, which is
 * the authority here, and the roster arrives with the first pull. Once anyone is on
 * the roster these follow METHOD_ACCESS like everything else.
 */
export const FIRST_RUN_METHODS: readonly MethodName[] = ['sync.enroll', 'sync.previewEnrolment', 'sync.status'];

/** The role a level needs, or null when no session is needed at all. */
export function requiredRole(level: AccessLevel): Role | null {
  switch (level) {
    case 'public':
      return null;
    case 'signed-in':
      return 'guard';
    case 'supervisor':
      return 'supervisor';
    case 'admin':
      return 'admin';
  }
}

export function accessOf(method: string): AccessLevel | null {
  return Object.hasOwn(METHOD_ACCESS, method) ? METHOD_ACCESS[method as MethodName] : null;
}

/** May someone with `role` (null: nobody signed in) call a method of this level? */
export function allows(level: AccessLevel, role: Role | null): boolean {
  const required = requiredRole(level);
  if (required === null) return true;
  return role !== null && roleAtLeast(role, required);
}
