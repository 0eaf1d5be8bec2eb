/**
 * Preload (sandboxed, built to CommonJS `out/preload/index.cjs`). Gives the page
 * exactly a `ConsoleBridge` as `window.guardline`: `invoke` and `on`, nothing else.
 * ipcRenderer itself, and the IPC event objects that reference it, never cross
 * into the page. Imports from the contract are constants and types only, so the
 * bundle needs nothing but `electron`.
 *
 * Pushes arrive on one IPC channel; the page subscribes at ~30 places. One ipcRenderer
 * listener (added with the first subscriber, removed with the last) fans each push out
 * to the subscribers of its name, so Node's MaxListeners warning (at 11) never fires
 * and a push costs one lookup, not one call per subscriber of any event.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PushEventName } from '../../src-shared/api.ts';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type CallResult,
  type ConsoleBridge,
} from '../../src-shared/transport.ts';

type BridgeIpc = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createBridge(ipc: BridgeIpc): ConsoleBridge {
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  let subscriptions = 0;
  const fanOut = (_event: IpcRendererEvent, frame: unknown) => {
    if (typeof frame !== 'object' || frame === null) return;
    const { name, payload } = frame as { name?: unknown; payload?: unknown };
    if (typeof name !== 'string') return;
    // A copy: a subscriber may unsubscribe (or subscribe) while we deliver.
    for (const subscriber of [...(subscribers.get(name) ?? [])]) {
      try {
        subscriber(payload);
      } catch (error) {
        // One page handler's bug must not keep the push from the others (an alarm among them).
        console.error('[guardline] a push subscriber failed', error);
      }
    }
  };
  return {
    async invoke(method, input) {
      try {
        return (await ipc.invoke(IPC_INVOKE_CHANNEL, { method, input })) as CallResult<typeof method>;
      } catch (error) {
        // Only when the main process has no handler (starting or shutting down): an error value, like any other.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'disconnected', message: `IPC failed: ${message}` } };
      }
    },
    on(event, listener) {
      if (typeof listener !== 'function') throw new TypeError('guardline.on: listener must be a function');
      const name: PushEventName = event;
      // A wrapper per subscription, so subscribing the same function twice unsubscribes one at a time.
      const subscription = (payload: unknown) => listener(payload as never);
      let named = subscribers.get(name);
      if (!named) subscribers.set(name, (named = new Set()));
      named.add(subscription);
      if (++subscriptions === 1) ipc.on(IPC_EVENT_CHANNEL, fanOut);
      return () => {
        if (!named.delete(subscription)) return;
        if (named.size === 0) subscribers.delete(name);
        if (--subscriptions === 0) ipc.removeListener(IPC_EVENT_CHANNEL, fanOut);
      };
    },
  };
}

contextBridge.exposeInMainWorld('guardline', createBridge(ipcRenderer));
