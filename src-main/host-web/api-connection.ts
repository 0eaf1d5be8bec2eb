/**
 * One authenticated API socket: `CallFrame` in, `ResultFrame` out, core pushes forwarded
 * as `EventFrame`. Every frame is validated; a frame whose id cannot be recovered has no
 * one to answer, so the socket is closed with 1008 (policy violation).
 */
import type { WebSocket } from 'ws';
import type { ConsoleCore } from '../core/console-core.ts';
import type { CallerContext } from '../core/app.ts';
import { apiError, fromZodError } from '../../src-shared/errors.ts';
import { CallFrame, type CallResult, type EventFrame, type ResultFrame } from '../../src-shared/transport.ts';

/** A client that stops reading while pushes pile up is dropped rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_GOING_AWAY = 1001;

export function serveApiConnection(ws: WebSocket, core: Pick<ConsoleCore, 'dispatch' | 'subscribe'>): void {
  // Who acts is the console session's business (sign-in is itself an API call); the host
  // only says where the call came from.
  const ctx: CallerContext = { origin: 'web' };

  const send = (frame: ResultFrame | EventFrame) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(frame));
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
  };

  // A protocol error (oversized or malformed frame) is the client's fault: ws closes the socket
  // itself (1009/1002); without a listener the 'error' event would crash the host.
  ws.on('error', () => {});

  const unsubscribe = core.subscribe((name, payload) => send({ kind: 'event', name, payload }));
  ws.once('close', unsubscribe);

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(CLOSE_UNSUPPORTED_DATA, 'text frames only');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      ws.close(CLOSE_POLICY_VIOLATION, 'frame is not JSON');
      return;
    }
    const frame = CallFrame.safeParse(raw);
    if (!frame.success) {
      const id = recoverId(raw);
      if (id === null) ws.close(CLOSE_POLICY_VIOLATION, 'frame has no usable id');
      else send({ kind: 'result', id, result: { ok: false, error: fromZodError(frame.error) } });
      return;
    }
    const { id, method, input } = frame.data;
    void answer(core, method, input, ctx).then((result) => send({ kind: 'result', id, result }));
  });
}

async function answer(
  core: Pick<ConsoleCore, 'dispatch'>,
  method: string,
  input: unknown,
  ctx: CallerContext,
): Promise<CallResult> {
  try {
    return await core.dispatch(method, input, ctx);
  } catch (error) {
    // dispatch turns handler failures into values; reaching here is a bug, still answered.
    return {
      ok: false,
      error: apiError('internal', `${method} failed: ${(error as Error)?.message ?? String(error)}`),
    };
  }
}

function recoverId(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = (raw as { id: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
