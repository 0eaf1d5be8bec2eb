/**
 * The HQ web app's wire contract with the tracker (issue 15): accounts and sessions,
 * the overview, and the live stream. Pure types and zod schemas, shared by the
 * tracker's routes and the React HQ app.
 */
import { z } from 'zod';

export const HQ_ROLES = ['viewer', 'admin'] as const;
export const HqRole = z.enum(HQ_ROLES);
export type HqRole = z.infer<typeof HqRole>;

/** The cookie that carries an HQ session; HttpOnly, SameSite=Strict, Path=/. */
export const HQ_SESSION_COOKIE = 'guardline_hq';
/** Unsafe requests (POST, PUT, DELETE) of a cookie session echo the session's CSRF token here. */
export const HQ_CSRF_HEADER = 'x-guardline-csrf';

const AccountName = z.string().trim().min(1, { error: 'required' }).max(80);
/** Long passphrases welcome; 12 characters is the floor (NIST SP 800-63B allows 8, HQ sees every facility). */
const Password = z.string().min(12, { error: 'at least 12 characters' }).max(256);

export const HqLoginRequest = z.object({ name: AccountName, password: z.string().min(1).max(256) }).strict();
export type HqLoginRequest = z.infer<typeof HqLoginRequest>;

export const HqNewAccount = z.object({ name: AccountName, password: Password, role: HqRole }).strict();
export type HqNewAccount = z.infer<typeof HqNewAccount>;

/** `POST /v1/hq/setup`: the admin token creates the first HQ admin, once. */
export const HqSetupRequest = z.object({ name: AccountName, password: Password }).strict();
export type HqSetupRequest = z.infer<typeof HqSetupRequest>;

export const HqAccount = z.object({
  id: z.string(),
  name: z.string(),
  role: HqRole,
  createdAt: z.number(),
  lockedUntil: z.number().nullable(),
});
export type HqAccount = z.infer<typeof HqAccount>;

/** `GET /v1/hq/session`: who is signed in; `setupNeeded` while no account exists yet. */
export const HqSessionInfo = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(false), setupNeeded: z.boolean() }),
  z.object({ signedIn: z.literal(true), account: HqAccount, csrfToken: z.string() }),
]);
export type HqSessionInfo = z.infer<typeof HqSessionInfo>;

/** One facility on the overview: what a CIO scanning 40 cities needs to see first. */
export const HqOverviewFacility = z.object({
  id: z.string(),
  name: z.string(),
  lines: z.object({ up: z.number(), degraded: z.number(), down: z.number(), unknown: z.number() }),
  /** Lines currently down, named, worst first. */
  downLines: z.array(z.object({ lineId: z.string(), name: z.string(), unit: z.string(), since: z.number() })),
  openOutages: z.array(z.object({ id: z.string(), openedAt: z.number(), lines: z.number() })),
  openThreats: z.number(),
  escalations: z.number(),
  consoles: z.object({ online: z.number(), offline: z.number(), lastContactAt: z.number().nullable() }),
  /** Carrier tickets with no carrier response past the report's no-response window. */
  overdueTickets: z.number(),
});
export type HqOverviewFacility = z.infer<typeof HqOverviewFacility>;

export const HqOverview = z.object({ asOf: z.number(), facilities: z.array(HqOverviewFacility) });
export type HqOverview = z.infer<typeof HqOverview>;

/** `GET /v1/hq/stream` data lines: facility F now has events up to seq N. */
export const HqStreamMessage = z.object({ facility: z.string(), seq: z.number() });
export type HqStreamMessage = z.infer<typeof HqStreamMessage>;
