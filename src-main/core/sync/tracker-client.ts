/**
 * HTTP client for the central tracker. Every response is parsed with the shared wire
 * schemas; every failure becomes a `TrackerFailure` whose `kind` tells the sync engine
 * what to do: back off (network, unavailable), split (too large), quarantine (invalid),
 * or stop and ask a person (unauthenticated, forbidden).
 */
import { subscribe } from 'node:diagnostics_channel';
import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import {
  DeviceKeyResponse,
  EnrollResponse,
  HealthResponse,
  PullResponse,
  PushResponse,
  StreamMessage,
  TrackerError,
  EnrollPreview,
} from '../../../src-shared/sync-wire.ts';

export type FailureKind =
  'network' | 'unavailable' | 'too_large' | 'invalid' | 'auth' | 'forbidden' | 'conflict' | 'protocol';

export class TrackerFailure extends Error {
  readonly kind: FailureKind;
  readonly status: number | null;
  readonly code: string;
  readonly field: string | null;
  constructor(
    kind: FailureKind,
    code: string,
    message: string,
    status: number | null = null,
    field: string | null = null,
  ) {
    super(message);
    this.name = 'TrackerFailure';
    this.kind = kind;
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

export interface TrackerClientOptions {
  baseUrl: string;
  token: string | null;
  requestTimeoutMs?: number;
}

function kindForStatus(status: number): FailureKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 400 || status === 422) return 'invalid';
  return 'unavailable'; // 429, 5xx and anything unexpected: try again later
}

/**
 * Issue 15: `baseUrl` may list several tracker URLs (separated by spaces or commas),
 * every one a tracker on the same PostgreSQL. Requests go to the one that last
 * answered; a request that cannot reach it moves on to the next before failing, and a
 * lost live stream makes the next cycle start at the next one. Pushes are idempotent by
 * event id, so repeating one on another tracker stores nothing twice.
 */
export function trackerUrls(baseUrl: string): string[] {
  return baseUrl
    .split(/[\s,]+/)
    .map((u) => u.replace(/\/+$/, ''))
    .filter(Boolean);
}

/** Which URL of a list answered last, kept across clients (the engine makes one per cycle). */
const preferred = new Map<string, number>();

/** The URL of a list that requests go to now: the one that last answered (the first until one fails). */
export function trackerInUse(baseUrl: string): string | null {
  const urls = trackerUrls(baseUrl);
  if (urls.length === 0) return null;
  return urls[(preferred.get(urls.join(' ')) ?? 0) % urls.length]!;
}

/**
 * When a push's body has left for the tracker. fetch puts a request on its socket only
 * some turns of the event loop after it is called (connection pool, streams): in the drain
 * bench 8.2 to 24.35 ms a push (median of a drain) passed from undici's request:create to
 * its headers being written, because the drain ran its own work for the flight (the
 * previous acks, the next batch) in between, and the tracker idled meanwhile (round 16t,
 * docs/performance.md). undici reports a body written to the socket on the `undici:request:bodySent`
 * diagnostics channel (documented; Node's fetch is undici); a push carries a tag header
 * so its report is found. Where no report comes (another fetch), the push's settling stands in.
 */
const SENT_TAG = 'x-guardline-push';
const bodyWaiters = new Map<string, () => void>();
let sentTags = 0;
let listening = false;

function headerValue(headers: unknown, name: string): string | null {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return null;
  }
  if (typeof headers === 'string') return new RegExp(`^${name}:\\s*(\\S+)`, 'im').exec(headers)?.[1] ?? null;
  return null;
}

function onBodySent(message: unknown): void {
  const tag = headerValue((message as { request?: { headers?: unknown } }).request?.headers, SENT_TAG);
  const waiter = tag === null ? undefined : bodyWaiters.get(tag);
  if (!waiter) return;
  bodyWaiters.delete(tag!);
  waiter();
}

/** A drain push's name and the name of the push it follows (null: the first of a run of pushes). */
export interface PushOrderNames {
  id: string;
  after: string | null;
}

/** src-tracker/events/push-order.ts's headers (kept apart: the console does not import the tracker). */
const PUSH_ID_HEADER = 'x-guardline-push-id';
const PUSH_AFTER_HEADER = 'x-guardline-push-after';
/** On a push's answer: this tracker holds a push for the one it names (an older tracker would store it as it comes). */
const PUSH_ORDER_HEADER = 'x-guardline-push-order';

function orderHeaders(order: PushOrderNames | undefined): Record<string, string> {
  if (!order) return {};
  return order.after === null
    ? { [PUSH_ID_HEADER]: order.id }
    : { [PUSH_ID_HEADER]: order.id, [PUSH_AFTER_HEADER]: order.after };
}

/** A push refused only because the push it follows was not stored (or not in time): nothing of it was stored. */
export function isOrderRefusal(error: unknown): boolean {
  return (
    error instanceof TrackerFailure && error.kind === 'unavailable' && error.field === `headers.${PUSH_AFTER_HEADER}`
  );
}

/** A request body that is JSON text already: sent as it is, not serialised again. */
class JsonText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function createTrackerClient(options: TrackerClientOptions) {
  const urls = trackerUrls(options.baseUrl);
  const listKey = urls.join(' ');
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  let current = (preferred.get(listKey) ?? 0) % Math.max(1, urls.length);
  const base = () => urls[current] ?? '';
  /** The tracker answering keeps the order of pushes that name each other (it said so on a push's answer). */
  let ordersPushes = false;
  const failOver = () => {
    current = (current + 1) % Math.max(1, urls.length);
    preferred.set(listKey, current);
    ordersPushes = false;
  };

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    auth = true,
    as: 'json' | 'text' = 'json',
    sent?: () => void,
    committed?: () => unknown,
    more: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = {
      accept: as === 'text' ? 'text/yaml, text/plain' : 'application/json',
      ...more,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && options.token) headers.authorization = `Bearer ${options.token}`;
    if (!sent) return answer(method, path, schema, body, as, headers, committed);
    if (!listening) {
      subscribe('undici:request:bodySent', onBodySent);
      listening = true;
    }
    const tag = String((sentTags += 1));
    headers[SENT_TAG] = tag;
    bodyWaiters.set(tag, sent);
    try {
      return await answer(method, path, schema, body, as, headers, committed);
    } finally {
      // Settled without a report (no body written, or a fetch that does not report): stand in for it.
      if (bodyWaiters.delete(tag)) sent();
    }
  }

  async function answer<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body: unknown,
    as: 'json' | 'text',
    headers: Record<string, string>,
    committed?: () => unknown,
  ): Promise<z.infer<S>> {
    let response: Response | null = null;
    for (let tried = 1; response === null; tried++) {
      try {
        response = await fetch(`${base()}${path}`, {
          method,
          headers,
          body: body === undefined ? null : body instanceof JsonText ? body.text : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        failOver();
        if (tried < urls.length) continue;
        const cause = (error as { cause?: { code?: string } }).cause;
        throw new TrackerFailure(
          'network',
          cause?.code ?? (error as Error).name,
          `cannot reach the tracker: ${cause?.code ?? (error as Error).message}`,
        );
      }
    }
    if (response.headers.get(PUSH_ORDER_HEADER) === '1') ordersPushes = true;
    // The status is in before the body is read and checked: a 200 to a push means the tracker
    // committed all of it (each event accepted or a duplicate; every refusal is another status).
    // The caller may hold the reading back (a promise) until its next push is on the wire.
    if (response.status === 200 && committed) await committed();
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new TrackerFailure(
        'network',
        'response_cut',
        `the tracker's response was cut off: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      const parsed = TrackerError.safeParse(safeJson(text));
      const code = parsed.success ? parsed.data.code : `http_${response.status}`;
      const message = parsed.success ? parsed.data.message : text.slice(0, 200) || response.statusText;
      throw new TrackerFailure(
        kindForStatus(response.status),
        code,
        message,
        response.status,
        parsed.success ? (parsed.data.field ?? null) : null,
      );
    }
    const parsed = schema.safeParse(as === 'text' ? text : safeJson(text));
    if (!parsed.success) {
      // A truncated or garbled 200 is a transport fault, not a verdict on our data.
      throw new TrackerFailure('network', 'bad_response', `unexpected response from the tracker for ${path}`);
    }
    return parsed.data;
  }

  return {
    health: () => request('GET', '/v1/health', HealthResponse, undefined, false),
    enroll: (code: string, deviceId: string, label: string, publicKey: string, signingSince: number) =>
      request('POST', '/v1/enroll', EnrollResponse, { code, deviceId, label, publicKey, signingSince }, false),
    bindKey: (publicKey: string, signingSince: number) =>
      request('POST', '/v1/device-key', DeviceKeyResponse, { publicKey, signingSince }),
    /** The version in the tracker's update channel file (issue 15), or null when it serves none. */
    async latestRelease(): Promise<string | null> {
      for (const channel of ['latest.yml', 'latest-linux.yml']) {
        try {
          const text = await request('GET', `/updates/${channel}`, z.string(), undefined, true, 'text');
          const version = /^version:\s*['"]?([^'"\s]+)/m.exec(text)?.[1];
          if (version) return version;
        } catch (error) {
          if (!(error instanceof TrackerFailure) || error.status !== 404) throw error;
        }
      }
      return null;
    },
    previewEnrolment: (code: string) => request('POST', '/v1/enroll/preview', EnrollPreview, { code }, false),
    /**
     * `order`, when given, names the push and the push of the same drain it follows: the tracker
     * stores it only after that one committed, and refuses it (503, field `headers.x-guardline-push-after`,
     * see `isOrderRefusal`) when that one was not stored (src-tracker/events/push-order.ts).
     * `body` is PushRequest's JSON, written from the outbox's stored text (push-body.ts);
     * `sent`, when given, is called once the body has been written to the socket (at the latest when the push settles);
     * `committed` as soon as the answer's status is 200, which the tracker sends only once it has committed the whole
     * push (src-tracker/events/routes.ts: every refusal is a 4xx or 5xx), before the body is read and checked (which
     * waits for the promise it returns). The body can still turn out cut or garbled: the push then rejects as ever.
     */
    push: (body: string, sent?: () => void, committed?: () => unknown, order?: PushOrderNames) =>
      request(
        'POST',
        '/v1/events',
        PushResponse,
        new JsonText(body),
        true,
        'json',
        sent,
        committed,
        orderHeaders(order),
      ),
    /** Whether the tracker answering keeps a drain's pushes in order (push `order`); false until a push's answer said so. */
    ordersPushes: () => ordersPushes,
    pull: (after: number, limit: number) => request('GET', `/v1/events?after=${after}&limit=${limit}`, PullResponse),

    /**
     * Follow the tracker's SSE stream until `signal` aborts or the connection drops.
     * Resolves when the stream ends; rejects with a TrackerFailure on errors. A watchdog
     * treats a silent connection (no data and no heartbeat) as dropped.
     */
    async follow(onSeq: (seq: number) => void, signal: AbortSignal, silenceMs = 45_000): Promise<void> {
      const watchdog = new AbortController();
      const combined = AbortSignal.any([signal, watchdog.signal]);
      let timer = setTimeout(() => watchdog.abort(), silenceMs);
      const kick = () => {
        clearTimeout(timer);
        timer = setTimeout(() => watchdog.abort(), silenceMs);
      };
      try {
        let response: Response;
        try {
          response = await fetch(`${base()}/v1/stream`, {
            headers: {
              accept: 'text/event-stream',
              ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            },
            signal: combined,
          });
        } catch (error) {
          if (signal.aborted) return;
          failOver();
          throw new TrackerFailure(
            'network',
            'stream_failed',
            `cannot open the live stream: ${(error as Error).message}`,
          );
        }
        if (!response.ok || !response.body) {
          throw new TrackerFailure(
            kindForStatus(response.status),
            `http_${response.status}`,
            'the tracker refused the live stream',
            response.status,
          );
        }
        const parser = createParser({
          onEvent(message) {
            const parsed = StreamMessage.safeParse(safeJson(message.data));
            if (parsed.success) onSeq(parsed.data.seq);
          },
          onComment: kick,
        });
        const decoder = new TextDecoder();
        try {
          const reader = response.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            kick();
            parser.feed(decoder.decode(value, { stream: true }));
          }
        } catch (error) {
          if (signal.aborted) return;
          failOver();
          throw new TrackerFailure(
            'network',
            watchdog.signal.aborted ? 'stream_silent' : 'stream_dropped',
            `live stream lost: ${(error as Error).message}`,
          );
        }
        if (!signal.aborted) {
          failOver();
          throw new TrackerFailure('network', 'stream_ended', 'the tracker closed the live stream');
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type TrackerClient = ReturnType<typeof createTrackerClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
