/**
 * What the preload puts on the page: `window.guardline` is a `ConsoleBridge`
 * (src-main/preload/index.ts) in Electron, and absent in the browser host.
 * Matches the declaration in src-renderer/bridge/index.ts, so the two merge.
 */
import type { ConsoleBridge } from '../../src-shared/transport.ts';

declare global {
  interface Window {
    guardline?: ConsoleBridge;
  }
}

export {};
