/**
 * HTTP client for the central tracker. Every response is parsed with the shared wire
 * schemas; every failure becomes a `TrackerFailure` whose `kind` tells the sync engine
 * what to do: back off (network, unavailable), split (too large), quarantine (invalid),
 * or stop and ask a person (unauthenticated, forbidden).
 */
import { createParser } from 'eventsource-parser';
import type { z } from 'zod';
import {
  DeviceKeyResponse,
  EnrollResponse,
  HealthResponse,
  PullResponse,
  PushResponse,
  StreamMessage,
  TrackerError,
  type PushRequest,
} from '../../../src-shared/sync-wire.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';

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

export function createTrackerClient(options: TrackerClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.requestTimeoutMs ?? 15_000;

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    auth = true,
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new TrackerFailure(
        'network',
        cause?.code ?? (error as Error).name,
        `cannot reach the tracker: ${cause?.code ?? (error as Error).message}`,
      );
    }
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
    const parsed = schema.safeParse(safeJson(text));
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
    push: (events: readonly EventEnvelope[]) =>
      request('POST', '/v1/events', PushResponse, { events: [...events] } satisfies PushRequest),
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
          response = await fetch(`${base}/v1/stream`, {
            headers: {
              accept: 'text/event-stream',
              ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            },
            signal: combined,
          });
        } catch (error) {
          if (signal.aborted) return;
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
          throw new TrackerFailure(
            'network',
            watchdog.signal.aborted ? 'stream_silent' : 'stream_dropped',
            `live stream lost: ${(error as Error).message}`,
          );
        }
        if (!signal.aborted) throw new TrackerFailure('network', 'stream_ended', 'the tracker closed the live stream');
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
