/**
 * Preload (sandboxed, built to CommonJS `out/preload/index.cjs`). Gives the page
 * exactly a `ConsoleBridge` as `window.guardline`: `invoke` and `on`, nothing else.
 * ipcRenderer itself, and the IPC event objects that reference it, never cross
 * into the page. Imports from the contract are constants and types only, so the
 * bundle needs nothing but `electron`.
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
      const forward = (_event: IpcRendererEvent, frame: unknown) => {
        if (typeof frame !== 'object' || frame === null) return;
        const { name: frameName, payload } = frame as { name?: unknown; payload?: unknown };
        if (frameName === name) listener(payload as never);
      };
      ipc.on(IPC_EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, forward);
      };
    },
  };
}

contextBridge.exposeInMainWorld('guardline', createBridge(ipcRenderer));
