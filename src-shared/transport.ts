/**
 * Wire format between a renderer and a host (Electron IPC or the browser host's
 * WebSocket). The same shapes travel over both; hosts validate every frame.
 */
import { z } from 'zod';
import { ApiError } from './errors.ts';
import type { MethodName, MethodOutput, PushEventName, PushEventPayload } from './api.ts';

export type CallResult<M extends MethodName = MethodName> =
  { ok: true; value: MethodOutput<M> } | { ok: false; error: ApiError };

export const CallFrame = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultFrame = z.object({
  kind: z.literal('result'),
  id: z.number().int(),
  result: z.union([
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: ApiError }),
  ]),
});
export type ResultFrame = z.infer<typeof ResultFrame>;

export const EventFrame = z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() });
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.discriminatedUnion('kind', [ResultFrame, EventFrame]);

/** What a renderer needs from its host; Electron's preload and the web client both provide it. */
export interface ConsoleBridge {
  invoke<M extends MethodName>(method: M, input: unknown): Promise<CallResult<M>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEventPayload<E>) => void): () => void;
}

/** Web host handshake: the token rides in the WebSocket subprotocol list, never in a URL the server logs. */
export const WS_PROTOCOL = 'guardline.v1';
export const WS_TOKEN_PREFIX = 'token.';

/** Electron IPC channels (the only two): renderer -> main calls, main -> renderer pushes. */
export const IPC_INVOKE_CHANNEL = 'guardline:invoke';
export const IPC_EVENT_CHANNEL = 'guardline:event';
