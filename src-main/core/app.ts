/**
 * Method registry and the one `dispatch` both hosts use. Features contribute named
 * handlers; `createApp` refuses a method registered twice, and `dispatch` checks the
 * caller's access, then validates input against the shared contract, before any
 * handler runs.
 */
import type { z } from 'zod';
import { consoleApi, isMethodName, type ConsoleApi, type MethodName, type MethodOutput } from '../../src-shared/api.ts';
import { ApiFailure, apiError, fromZodError, type ApiError } from '../../src-shared/errors.ts';
import type { CallResult } from '../../src-shared/transport.ts';
import { quickIncidentCreate } from '../../src-shared/incident-create-check.ts';

/**
 * Quick checks that answer "certainly valid" with exactly the schema's parse, or null to let the
 * schema decide (and name the field): for the command a guard presses most, where zod's parse
 * was 5–6 % of its CPU (src-shared/incident-create-check.ts).
 */
const QUICK_INPUT_CHECKS: { [M in MethodName]?: (input: unknown) => z.output<ConsoleApi[M]['input']> | null } = {
  'incidents.create': quickIncidentCreate,
};

/** What a handler sees: who is acting (decided by the core's session) and where the call came from. */
export interface CallContext {
  /** The signed-in staff number; `anonymous` for public methods called with nobody signed in. */
  actor: string;
  /** Where the call came from, for logs. */
  origin: 'electron' | 'web' | 'test' | 'system';
}

/**
 * What a host passes to `dispatch`. The actor is not the host's to say: dispatch takes
 * it from the console's session and ignores `actor` here (kept so existing call sites
 * that pass `{actor, origin}` still compile).
 */
export interface CallerContext {
  origin: CallContext['origin'];
  actor?: string;
}

/** Decides whether a call may proceed and, if so, as whom. Runs before input validation. */
export type AccessCheck = (
  method: MethodName,
  caller: CallerContext,
) => { ok: true; ctx: CallContext } | { ok: false; error: ApiError };

export type Handler<M extends MethodName> = (
  input: z.output<ConsoleApi[M]['input']>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]?: Handler<M> };

export interface FeatureApp {
  name: string;
  handlers: Handlers;
}

export function createApp(features: readonly FeatureApp[]): Handlers {
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const feature of features) {
    for (const [method, handler] of Object.entries(feature.handlers)) {
      if (owner.has(method)) {
        throw new Error(`method ${method} registered by both ${owner.get(method)} and ${feature.name}`);
      }
      owner.set(method, feature.name);
      merged[method] = handler;
    }
  }
  return merged as Handlers;
}

export function missingMethods(handlers: Handlers): MethodName[] {
  return (Object.keys(consoleApi) as MethodName[]).filter((m) => !handlers[m]);
}

export interface Logger {
  error(message: string, detail?: unknown): void;
}

export type Dispatch = (method: string, input: unknown, caller: CallerContext) => Promise<CallResult>;

export function createDispatch(handlers: Handlers, logger: Logger, access: AccessCheck): Dispatch {
  return async (method, input, caller) => {
    if (!isMethodName(method))
      return fail(apiError('unknown_method', `unknown method ${String(method).slice(0, 100)}`));
    // Access before validation: a caller who may not use a method learns nothing of its input rules.
    const allowed = access(method, caller);
    if (!allowed.ok) return fail(allowed.error);
    const ctx = allowed.ctx;
    let data: unknown = QUICK_INPUT_CHECKS[method]?.(input ?? {}) ?? null;
    if (data === null) {
      const parsed = consoleApi[method].input.safeParse(input ?? {});
      if (!parsed.success) return fail(fromZodError(parsed.error));
      data = parsed.data;
    }
    const handler = handlers[method] as Handler<typeof method> | undefined;
    if (!handler) return fail(apiError('unknown_method', `method ${method} is not available on this console`));
    try {
      const value = await handler(data as never, ctx);
      return { ok: true, value } as CallResult;
    } catch (error) {
      if (error instanceof ApiFailure) return fail(error.error);
      logger.error(`${method} failed`, error);
      return fail(apiError('internal', `${method} failed: ${(error as Error)?.message ?? String(error)}`));
    }
  };
}

function fail(error: ApiError): CallResult {
  return { ok: false, error };
}
