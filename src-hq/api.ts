/**
 * HQ's client for the tracker: same-origin fetch with the session cookie, the
 * session's CSRF token on unsafe requests, and tracker errors as `HqApiError` with
 * the tracker's code, message and field.
 */
import { HQ_CSRF_HEADER } from '../src-shared/hq-wire.ts';

export class HqApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, body: { code?: string; message?: string; field?: string }) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? 'internal';
    this.field = body.field;
  }
}

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the tracker says the session is gone (expired, signed out elsewhere). */
export function onSessionLost(listener: () => void): () => void {
  onSignedOut = listener;
  return () => {
    if (onSignedOut === listener) onSignedOut = null;
  };
}

async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && csrfToken ? { [HQ_CSRF_HEADER]: csrfToken } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/v1/hq/login') && !path.startsWith('/v1/hq/setup')) {
      onSignedOut?.();
    }
    throw new HqApiError(response.status, parsed as { code?: string; message?: string });
  }
  return parsed as T;
}

export const hqApi = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    request<T>('POST', path, body, headers),
};

/**
 * A multipart upload with its progress (issue 15, release files of a few hundred MB):
 * fetch cannot report upload progress, XMLHttpRequest can. Same cookie, CSRF header and
 * error shape as every other request.
 */
export function uploadFiles<T>(path: string, form: FormData, onProgress: (sent: number, total: number) => void) {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    if (csrfToken) xhr.setRequestHeader(HQ_CSRF_HEADER, csrfToken);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onerror = () => reject(new HqApiError(0, { code: 'disconnected', message: 'the upload was cut off' }));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        parsed = { message: `HTTP ${xhr.status}` };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else {
        if (xhr.status === 401) onSignedOut?.();
        reject(new HqApiError(xhr.status, parsed as { code?: string; message?: string; field?: string }));
      }
    };
    xhr.send(form);
  });
}

/** A query string from the defined values only. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
