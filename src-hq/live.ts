/**
 * HQ's live view: one EventSource on `/v1/hq/stream` for the whole app. Listeners
 * hear the facility whose head moved, or '*' when the stream (re)opened and anything
 * may have changed meanwhile. The browser reconnects by itself (the tracker sends
 * `retry:`); the state shows in the header.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { HqStreamMessage } from '../src-shared/hq-wire.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting';
type Listener = (facility: string) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<() => void>();
let state: LiveState = 'connecting';
let source: EventSource | null = null;

function setState(next: LiveState) {
  state = next;
  for (const l of stateListeners) l();
}

export function startLive(): () => void {
  source = new EventSource('/v1/hq/stream');
  source.onopen = () => {
    setState('live');
    for (const l of listeners) l('*');
  };
  source.onerror = () => setState('reconnecting');
  source.onmessage = (event: MessageEvent<string>) => {
    const parsed = HqStreamMessage.safeParse(JSON.parse(event.data));
    if (!parsed.success) return;
    for (const l of listeners) l(parsed.data.facility);
  };
  return () => {
    source?.close();
    source = null;
    setState('connecting');
  };
}

export function useLiveState(): LiveState {
  return useSyncExternalStore(
    (cb) => {
      stateListeners.add(cb);
      return () => stateListeners.delete(cb);
    },
    () => state,
  );
}

/**
 * Runs `refresh` whenever a facility it cares about (`facility`, or any when
 * undefined) changes. Changes arriving while a refresh runs fold into one more.
 */
export function useLiveRefresh(refresh: () => Promise<void> | void, facility?: string): void {
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  useEffect(() => {
    let running = false;
    let again = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await latest.current();
        } while (again);
      } finally {
        running = false;
      }
    };
    const listener: Listener = (changed) => {
      if (changed === '*' || facility === undefined || changed === facility) void run();
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [facility]);
}
