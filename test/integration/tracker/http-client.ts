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

export function trackerClient(baseUrl: string) {
  async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
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
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, token),
    post: <T = any>(path: string, body: unknown, token?: string) => call<T>('POST', path, token, body),
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
