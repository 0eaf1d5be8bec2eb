/** React access to the shared live status board (see model/board-store.ts). */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApi, useOnReconnect } from '../../api/ApiContext.tsx';
import { boardStoreFor, type BoardSnapshot } from './model/board-store.ts';

export function useLineBoard(): BoardSnapshot {
  const store = boardStoreFor(useApi());
  const snapshot = useSyncExternalStore(store.subscribe, store.get);
  // Pushes sent while the socket was down are lost: reload the whole board.
  useOnReconnect(() => store.refresh());
  return snapshot;
}

/** The wall clock, re-read every `everyMs`, so "för 5 s sen" keeps counting between pushes. */
export function useNow(everyMs = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
