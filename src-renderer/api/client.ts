/**
 * The typed face of the bridge: `api.call('incidents.list', {...})` checks the input
 * type at compile time and returns a `CallResult` typed by method. A bridge that throws
 * (an IPC bug) becomes an `internal` error value so UI code only ever handles values.
 */
import type { MethodInput, MethodName, PushEventName, PushEventPayload } from '../../src-shared/api.ts';
import type { CallResult, ConsoleBridge } from '../../src-shared/transport.ts';

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<M>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEventPayload<E>) => void): () => void;
}

export function createApiClient(bridge: ConsoleBridge): ApiClient {
  return {
    async call(method, input) {
      try {
        return await bridge.invoke(method, input);
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: `${method}: ${String(error)}` } };
      }
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}
