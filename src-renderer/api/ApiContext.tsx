/** React access to the console API, the connection state and push events. */
import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { PushEventName, PushEventPayload } from '../../src-shared/api.ts';
import type { ConnectionSource, ConnectionState } from '../bridge/connection.ts';
import type { ApiClient } from './client.ts';

interface ApiContextValue {
  api: ApiClient;
  connection: ConnectionSource;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider(props: { api: ApiClient; connection: ConnectionSource; children: ReactNode }) {
  const { api, connection, children } = props;
  return <ApiContext value={{ api, connection }}>{children}</ApiContext>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside <ApiProvider>');
  return value;
}

export function useApi(): ApiClient {
  return useApiContext().api;
}

export function useConnectionState(): ConnectionState {
  const { connection } = useApiContext();
  return useSyncExternalStore(
    (notify) => connection.onState(notify),
    () => connection.state(),
  );
}

/** Subscribe to a push event for the component's lifetime; the latest callback is always used. */
export function usePushEvent<E extends PushEventName>(event: E, listener: (payload: PushEventPayload<E>) => void) {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [api, event]);
}

/** Runs `effect` each time the connection comes back after a drop (pushes may have been missed). */
export function useOnReconnect(effect: () => void) {
  const state = useConnectionState();
  const dropped = useRef(false);
  const latest = useRef(effect);
  useEffect(() => {
    latest.current = effect;
  });
  useEffect(() => {
    if (state === 'disconnected') dropped.current = true;
    if (state === 'connected' && dropped.current) {
      dropped.current = false;
      latest.current();
    }
  }, [state]);
}
