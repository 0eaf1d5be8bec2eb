/** How the renderer is connected to its console core, for the header's indicator. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** A live view of the connection: the current state plus change notifications. */
export interface ConnectionSource {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** Electron's IPC cannot drop while the window lives, so its connection is always up. */
export const alwaysConnected: ConnectionSource = {
  state: () => 'connected',
  onState: () => () => {},
};
