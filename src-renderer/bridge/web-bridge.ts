/**
 * The browser host's bridge: the console API over one WebSocket. Calls are numbered
 * frames answered by id; pushes arrive as event frames. When the socket drops, every
 * unanswered call resolves at once (a guard must never stare at a spinner): a call
 * already sent as `connection_lost` (it may have been committed: the UI must not say
 * "nothing was saved", nor "saved"), one not yet sent as `disconnected`; the bridge
 * reconnects with capped exponential backoff.
 *
 * Every frame is checked against the contract's schemas before anyone sees it. Those
 * schemas load as a separate chunk (frame-contract.ts) so they do not delay the first
 * paint; frames that arrive before it has loaded wait for it, in order.
 *
 * No DOM globals are touched: the WebSocket constructor and timers are injected, so
 * the same module runs under Node against a real `ws` server in unit tests.
 */
import type { MethodName, PushEventName, PushEventPayload } from '../../src-shared/api.ts';
import type { ApiError } from '../../src-shared/errors.ts';
import {
  WS_PROTOCOL,
  WS_TOKEN_PREFIX,
  type CallFrame,
  type CallResult,
  type ConsoleBridge,
} from '../../src-shared/transport.ts';
import type { ConnectionSource, ConnectionState } from './connection.ts';
import type * as FrameContractModule from './frame-contract.ts';

/** The part of the WHATWG WebSocket the bridge uses; `ws`'s WebSocket fits too. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface WebBridgeOptions {
  url: string;
  token: string;
  connect: SocketFactory;
  backoff?: Backoff;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

export interface WebBridge extends ConsoleBridge, ConnectionSource {
  /** Stop for good: closes the socket and cancels any reconnect. */
  close(): void;
}

const OPEN = 1;
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

/** Delay before reconnect attempt `attempt` (0-based): doubles each time, never above the cap. */
export function reconnectDelay(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
}

export function disconnectedError(method: string): ApiError {
  return { code: 'disconnected', message: `${method}: not connected to the console` };
}

type FrameContract = typeof FrameContractModule;

/** A call that was sent but never answered: the core may or may not have committed it. */
export function connectionLostError(method: string): ApiError {
  return { code: 'connection_lost', message: `${method}: the connection broke before the console answered` };
}

export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const contract: Promise<FrameContract> = import('./frame-contract.ts');
  /** Frames in arrival order, each handled after the one before it. */
  let inbox: Promise<unknown> = contract;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const protocols = [WS_PROTOCOL, WS_TOKEN_PREFIX + options.token];

  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let attempt = 0;
  let retryTimer: unknown = null;
  let closed = false;
  let nextId = 1;
  /** Sent, waiting for a result frame. */
  const pending = new Map<number, { method: string; resolve: (r: CallResult) => void }>();
  /** Asked for while the socket was still opening: sent on open, failed if it never opens. */
  let queued: { frame: CallFrame; resolve: (r: CallResult) => void }[] = [];
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const pushListeners = new Map<string, Set<(payload: never) => void>>();

  function setState(next: ConnectionState) {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  }

  function open() {
    if (closed) return;
    setState('connecting');
    const s = options.connect(options.url, protocols);
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempt = 0;
      setState('connected');
      const waiting = queued;
      queued = [];
      for (const q of waiting) send(q.frame, q.resolve);
    };
    s.onmessage = (event) => {
      if (socket !== s) return;
      inbox = inbox.then(
        () => contract.then((c) => receive(c, event.data)),
        () => {}, // the contract could not load: no frame can be trusted, none is delivered
      );
    };
    s.onerror = () => {}; // a close event always follows; handled there
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      failAll();
      setState('disconnected');
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (closed || retryTimer !== null) return;
    const delay = reconnectDelay(attempt++, backoff);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      open();
    }, delay);
  }

  function failAll() {
    const sent = [...pending.values()];
    pending.clear();
    const waiting = queued;
    queued = [];
    for (const p of sent) p.resolve({ ok: false, error: connectionLostError(p.method) });
    for (const q of waiting) q.resolve({ ok: false, error: disconnectedError(q.frame.method) });
  }

  function send(frame: CallFrame, resolve: (r: CallResult) => void) {
    if (!socket || socket.readyState !== OPEN) {
      resolve({ ok: false, error: disconnectedError(frame.method) });
      return;
    }
    pending.set(frame.id, { method: frame.method, resolve });
    try {
      socket.send(JSON.stringify(frame));
    } catch {
      pending.delete(frame.id);
      resolve({ ok: false, error: disconnectedError(frame.method) });
    }
  }

  function receive({ ServerFrame, consoleEvents }: FrameContract, data: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // not ours to interpret; the host only sends JSON
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    if (frame.kind === 'result') {
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      call.resolve(frame.result as CallResult);
      return;
    }
    const schema = consoleEvents[frame.name as PushEventName];
    const listeners = pushListeners.get(frame.name);
    if (!schema || !listeners) return;
    const payload = schema.safeParse(frame.payload);
    if (!payload.success) return;
    for (const l of [...listeners]) l(payload.data as never);
  }

  open();

  return {
    invoke<M extends MethodName>(method: M, input: unknown): Promise<CallResult<M>> {
      return new Promise<CallResult<M>>((resolve) => {
        const frame: CallFrame = { kind: 'call', id: nextId++, method, input: input ?? {} };
        const done = resolve as (r: CallResult) => void;
        if (state === 'connecting' && !closed) queued.push({ frame, resolve: done });
        else send(frame, done);
      });
    },
    on<E extends PushEventName>(event: E, listener: (payload: PushEventPayload<E>) => void) {
      let set = pushListeners.get(event);
      if (!set) pushListeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      const s = socket;
      socket = null;
      failAll();
      setState('disconnected');
      s?.close(1000, 'closed');
    },
  };
}
