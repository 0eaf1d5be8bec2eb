/**
 * One live copy of the status board per API client, shared by the strip, the board,
 * the fallback banner (also on the lock screen) and the host signals: it loads
 * `lines.board` once, then follows `lines.changed` pushes, which carry only the lines
 * that changed. A push that lands while a reload is in flight is applied again on top
 * of the reloaded board, so a reply that left the core before the push cannot undo it.
 */
import type { PushEventPayload } from '../../../../src-shared/api.ts';
import type { ApiError } from '../../../../src-shared/errors.ts';
import type { LineBoard } from '../../../../src-shared/telephony.ts';
import type { ApiClient } from '../../../api/client.ts';

export type BoardSnapshot =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; board: LineBoard };

export type LinesChanged = PushEventPayload<'lines.changed'>;

/** The board with a push applied: changed lines replaced in place, new ones appended. */
export function applyLinesChanged(board: LineBoard, change: LinesChanged): LineBoard {
  const changed = new Map(change.lines.map((l) => [l.id, l]));
  const lines = board.lines.map((l) => changed.get(l.id) ?? l);
  for (const l of change.lines) if (!board.lines.some((b) => b.id === l.id)) lines.push(l);
  return { ...board, lines, fallbackActive: change.fallbackActive };
}

export interface BoardStore {
  get(): BoardSnapshot;
  subscribe(listener: () => void): () => void;
  /** Load the whole board again (after a reconnect or a config change). */
  refresh(): void;
}

export function createBoardStore(api: Pick<ApiClient, 'call' | 'on'>): BoardStore {
  let snapshot: BoardSnapshot = { status: 'loading' };
  const listeners = new Set<() => void>();
  let offPushes: (() => void)[] = [];
  /** Pushes received since the reload in flight was asked for; null when none is in flight. */
  let sinceReload: LinesChanged[] | null = null;
  let reloadAgain = false;

  const set = (next: BoardSnapshot) => {
    snapshot = next;
    for (const l of listeners) l();
  };

  const onLinesChanged = (change: LinesChanged) => {
    sinceReload?.push(change);
    if (snapshot.status === 'ready') set({ status: 'ready', board: applyLinesChanged(snapshot.board, change) });
  };

  const reload = () => {
    if (sinceReload !== null) {
      reloadAgain = true; // the reply in flight may predate what asked for this one
      return;
    }
    sinceReload = [];
    void api.call('lines.board', {}).then((result) => {
      const pushes = sinceReload ?? [];
      sinceReload = null;
      if (result.ok) set({ status: 'ready', board: pushes.reduce(applyLinesChanged, result.value) });
      else if (snapshot.status !== 'ready') set({ status: 'error', error: result.error });
      if (reloadAgain && listeners.size > 0) {
        reloadAgain = false;
        reload();
      }
    });
  };

  return {
    get: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        offPushes = [
          api.on('lines.changed', onLinesChanged),
          api.on('config.changed', reload),
          api.on('outages.changed', reload),
        ];
        reload();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          for (const off of offPushes) off();
          offPushes = [];
        }
      };
    },
    refresh: reload,
  };
}

const stores = new WeakMap<object, BoardStore>();

/** The shared store for this client (one subscription to the core, however many views). */
export function boardStoreFor(api: ApiClient): BoardStore {
  let store = stores.get(api);
  if (!store) {
    store = createBoardStore(api);
    stores.set(api, store);
  }
  return store;
}
