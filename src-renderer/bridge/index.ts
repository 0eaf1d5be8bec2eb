/**
 * Which bridge this renderer talks through: Electron's preload exposes exactly a
 * `ConsoleBridge` as `window.guardline`; otherwise we are in the browser host and
 * speak WebSocket to the page's own origin.
 */
import type { ConsoleBridge } from '../../src-shared/transport.ts';
import { alwaysConnected, type ConnectionSource } from './connection.ts';
import { takeToken } from './token.ts';
import { createWebBridge, type SocketLike } from './web-bridge.ts';

export type { ConnectionSource, ConnectionState } from './connection.ts';

declare global {
  interface Window {
    guardline?: ConsoleBridge;
  }
}

export interface SelectedBridge {
  bridge: ConsoleBridge;
  connection: ConnectionSource;
}

export function selectBridge(): SelectedBridge {
  if (window.guardline) return { bridge: window.guardline, connection: alwaysConnected };
  const token = takeToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  const web = createWebBridge({
    url: `ws://${window.location.host}/api`,
    // Without a token the host refuses the socket; the indicator then shows "disconnected".
    token: token ?? 'missing',
    // DOM handler types name their `this` and event classes; the shapes used are the same.
    connect: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
  });
  return { bridge: web, connection: web };
}
