/**
 * Method registry and the one `dispatch` both hosts use. Features contribute named
 * handlers; `createApp` refuses a method registered twice, and `dispatch` validates
 * input against the shared contract before any handler runs.
 */
import type { z } from 'zod';
import { consoleApi, isMethodName, type ConsoleApi, type MethodName, type MethodOutput } from '../../src-shared/api.ts';
import { ApiFailure, apiError, fromZodError, type ApiError } from '../../src-shared/errors.ts';
import type { CallResult } from '../../src-shared/transport.ts';

export interface CallContext {
  /** Who is acting: a staff number once sign-in exists; the workstation's operator until then. */
  actor: string;
  /** Where the call came from, for logs. */
  origin: 'electron' | 'web' | 'test' | 'system';
}

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

export type Dispatch = (method: string, input: unknown, ctx: CallContext) => Promise<CallResult>;

export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (method, input, ctx) => {
    if (!isMethodName(method))
      return fail(apiError('unknown_method', `unknown method ${String(method).slice(0, 100)}`));
    const spec = consoleApi[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) return fail(fromZodError(parsed.error));
    const handler = handlers[method] as Handler<typeof method> | undefined;
    if (!handler) return fail(apiError('unknown_method', `method ${method} is not available on this console`));
    try {
      const value = await handler(parsed.data as never, ctx);
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
