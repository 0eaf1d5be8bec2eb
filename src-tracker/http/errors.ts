/**
 * Every failure leaves the tracker as `{code, message, field?}` with a fitting HTTP
 * status, whether a handler refused the request or Fastify did (body too large,
 * malformed JSON, rate limit). Anything unexpected is logged and answered as
 * `internal` without internals in the body.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiFailure, type ErrorCode } from '../../src-shared/errors.ts';
import type { TrackerError, TrackerErrorCode } from '../../src-shared/sync-wire.ts';

const STATUS_BY_CODE: Record<TrackerErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 404,
  not_found: 404,
  illegal_transition: 409,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  store_unavailable: 503,
  disconnected: 503,
  connection_lost: 503,
  internal: 500,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Thrown by route code to answer with a typed error. */
export class TrackerFailure extends Error {
  readonly error: TrackerError;
  readonly status: number;
  constructor(error: TrackerError) {
    super(error.message);
    this.name = 'TrackerFailure';
    this.error = error;
    this.status = STATUS_BY_CODE[error.code];
  }
}

export function fail(code: TrackerErrorCode, message: string, field?: string): TrackerFailure {
  return new TrackerFailure(field === undefined ? { code, message } : { code, message, field });
}

export function invalid(error: { message: string; field?: string; issues?: TrackerError['issues'] }): TrackerFailure {
  return new TrackerFailure({ code: 'invalid_input', ...error });
}

/**
 * Seconds a client is asked to wait (Retry-After) when the database's writer stayed taken
 * past its busy timeout: a console's sync engine retries any 503 with its own backoff.
 */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * SQLite's writer stayed taken past busy_timeout (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT...):
 * someone outside the tracker's writer gate (db/writer-gate.ts) held it, a maintenance shell
 * or a stuck disk. Transient, and nothing of the request was stored: 503, never `internal`.
 */
function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Error &&
    error.name === 'SqliteError' &&
    typeof code === 'string' &&
    (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === 'string';
}

/** What an error becomes on the wire; exported for unit tests. */
export function toTrackerError(error: unknown): {
  status: number;
  body: TrackerError;
  unexpected: boolean;
  retryAfterS?: number;
} {
  if (error instanceof TrackerFailure) return { status: error.status, body: error.error, unexpected: false };
  if (isSqliteBusy(error)) {
    return {
      status: 503,
      body: { code: 'store_unavailable', message: 'the database is busy; try again shortly' },
      unexpected: false,
      retryAfterS: BUSY_RETRY_AFTER_S,
    };
  }
  if (error instanceof ApiFailure) {
    const code: ErrorCode = error.error.code;
    return { status: STATUS_BY_CODE[code], body: error.error, unexpected: false };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 429) {
    return { status, body: { code: 'rate_limited', message: 'too many requests; slow down' }, unexpected: false };
  }
  if (isFastifyError(error)) {
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return { status: 413, body: { code: 'payload_too_large', message: error.message }, unexpected: false };
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return {
          status: 415,
          body: { code: 'invalid_input', message: 'send application/json', field: 'content-type' },
          unexpected: false,
        };
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return {
          status: 400,
          body: { code: 'invalid_input', message: error.message, field: '(root)' },
          unexpected: false,
        };
    }
    if (error instanceof SyntaxError || (typeof status === 'number' && status === 400)) {
      return {
        status: 400,
        body: { code: 'invalid_input', message: error.message, field: '(root)' },
        unexpected: false,
      };
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, body: { code: 'invalid_input', message: error.message }, unexpected: false };
    }
  }
  return { status: 500, body: { code: 'internal', message: 'internal error' }, unexpected: true };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, unexpected, retryAfterS } = toTrackerError(error);
    if (unexpected) request.log.error({ err: error }, 'request failed');
    // Busy past the timeout is worth seeing (who held the writer?), with its stack.
    else if (retryAfterS !== undefined) request.log.warn({ err: error, status }, 'database busy; asked to retry');
    else request.log.info({ code: body.code, field: body.field, status }, 'request refused');
    if (reply.sent || reply.raw.headersSent) return;
    if (retryAfterS !== undefined) void reply.header('retry-after', String(retryAfterS));
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({ code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
