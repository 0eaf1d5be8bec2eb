/**
 * In-process fan-out of "facility F now has events up to seq N" to open SSE streams.
 * One tracker process per database is assumed here; running several behind a load
 * balancer would feed this from PostgreSQL LISTEN/NOTIFY instead.
 */
export type HeadListener = (seq: number) => void;

export interface FacilityHeads {
  publish(facility: string, seq: number): void;
  subscribe(facility: string, listener: HeadListener): () => void;
  listenerCount(): number;
}

export function createFacilityHeads(): FacilityHeads {
  const listeners = new Map<string, Set<HeadListener>>();
  return {
    publish(facility, seq) {
      for (const listener of listeners.get(facility) ?? []) listener(seq);
    },
    subscribe(facility, listener) {
      const set = listeners.get(facility) ?? new Set<HeadListener>();
      set.add(listener);
      listeners.set(facility, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(facility);
      };
    },
    listenerCount() {
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
  };
}
