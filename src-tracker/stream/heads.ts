/**
 * Fan-out of "facility F now has events up to seq N" to open SSE streams: consoles
 * subscribe to their facility, HQ to every facility. Within one process `publish`
 * reaches the listeners directly; with several tracker processes on one PostgreSQL
 * the heads are also fed from LISTEN/NOTIFY (stream/pg-heads.ts), so a push taken by
 * one process reaches streams held by every other.
 */
export type HeadListener = (seq: number) => void;
export type AnyHeadListener = (facility: string, seq: number) => void;

export interface FacilityHeads {
  publish(facility: string, seq: number): void;
  subscribe(facility: string, listener: HeadListener): () => void;
  /** Every facility's heads (HQ's live view). */
  subscribeAll(listener: AnyHeadListener): () => void;
  listenerCount(): number;
}

export function createFacilityHeads(): FacilityHeads {
  const listeners = new Map<string, Set<HeadListener>>();
  const everyFacility = new Set<AnyHeadListener>();
  return {
    publish(facility, seq) {
      for (const listener of listeners.get(facility) ?? []) listener(seq);
      for (const listener of everyFacility) listener(facility, seq);
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
    subscribeAll(listener) {
      everyFacility.add(listener);
      return () => everyFacility.delete(listener);
    },
    listenerCount() {
      let n = everyFacility.size;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
  };
}
