/** Plain fetch against a tracker on loopback, returning status and parsed body. */
import { v7 as uuidv7 } from 'uuid';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { signAsAuthor } from '../../support/device-keys.ts';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * An HQ account's session, as a script holds one (issue 15: the admin token only creates
 * the first HQ admin): the session cookie and its CSRF token for unsafe requests.
 */
export interface HqCredential {
  cookie: string;
  csrf: string;
}

/** A device token (bearer) or an HQ session. */
export type Credential = string | HqCredential;

export function credentialHeaders(credential: Credential | undefined): Record<string, string> {
  if (!credential) return {};
  if (typeof credential === 'string') return { authorization: `Bearer ${credential}` };
  return { cookie: credential.cookie, 'x-guardline-csrf': credential.csrf };
}

/** The HQ admin tests sign in as (the e2e creates the same one through the page). */
export const HQ_SCRIPT_ADMIN = { name: 'Karin Lund', password: 'nattskift-2026-HQ' };

/**
 * Signs in to the tracker's HQ as a script would: on a tracker without accounts the admin
 * token creates the first HQ admin (its only use), then name + password give a session.
 */
export async function hqSignIn(
  baseUrl: string,
  adminToken: string,
  account: { name: string; password: string } = HQ_SCRIPT_ADMIN,
): Promise<HqCredential> {
  const json = { 'content-type': 'application/json' };
  const state = (await (await fetch(new URL('/v1/hq/session', baseUrl))).json()) as { setupNeeded?: boolean };
  if (state.setupNeeded) {
    const setup = await fetch(new URL('/v1/hq/setup', baseUrl), {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(account),
    });
    // Another caller may have created it between the two requests; signing in settles it.
    if (setup.status !== 201 && setup.status !== 409)
      throw new Error(`HQ setup: ${setup.status} ${await setup.text()}`);
  }
  const login = await fetch(new URL('/v1/hq/login', baseUrl), {
    method: 'POST',
    headers: json,
    body: JSON.stringify(account),
  });
  if (login.status !== 200) throw new Error(`HQ sign-in: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

export function trackerClient(baseUrl: string) {
  async function call<T>(method: string, path: string, token?: Credential, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = credentialHeaders(token);
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  // Bodies are loosely typed here on purpose: tests check them with the wire schemas or expect().
  /* eslint-disable @typescript-eslint/no-explicit-any */
  return {
    get: <T = any>(path: string, token?: Credential) => call<T>('GET', path, token),
    post: <T = any>(path: string, body: unknown, token?: Credential) => call<T>('POST', path, token, body),
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
export type TrackerClient = ReturnType<typeof trackerClient>;

/** A console's events, stamped with a fresh HLC from the real clock and signed with the device's test key. */
export function consoleEvents(deviceId: string) {
  let counter = 0;
  const hlc = (aheadMs = 0) =>
    encodeHlc({ wallMs: Date.now() + aheadMs, counter: counter++ % 999_999, node: deviceId });
  const envelope = (type: EventEnvelope['type'], streamId: string, payload: unknown, aheadMs = 0): EventEnvelope =>
    signAsAuthor({
      id: uuidv7(),
      streamId,
      type,
      payload,
      actor: 'Vakt 1042',
      deviceId,
      deviceTime: Date.now(),
      hlc: hlc(aheadMs),
    });
  return {
    incidentCreated(facility: string, fields: Partial<Record<string, unknown>> = {}, streamId = uuidv7()) {
      return envelope('incident.created', streamId, {
        facility,
        unit: 'Avdelning B',
        category: 'technical',
        severity: 'medium',
        title: 'Telefonen i vaktrummet är död',
        description: 'Ingen kopplingston sedan 21:10',
        peopleInvolved: [],
        location: 'Vaktrum B',
        occurredAt: '2026-11-25T21:14:00+01:00',
        reportedBy: 'Vakt 1042',
        ...fields,
      });
    },
    statusChanged(streamId: string, from: string, to: string) {
      return envelope('incident.status_changed', streamId, { from, to, reason: '' });
    },
    noteAdded(streamId: string, text: string) {
      return envelope('incident.note_added', streamId, { noteId: uuidv7(), text });
    },
    envelope,
  };
}
