/**
 * What the header and the Synk page say about the facility mesh, as translation keys with
 * values (never finished text), so wording and logic are unit-tested together. State is
 * carried by an icon and words, never by colour alone.
 */
import type { MeshPeerStatus, MeshRoute } from '../../../../src-shared/sync.ts';
import type { Text, Tone } from './sync-text.ts';

/** The header's words for how this console is connected: "HQ via B", "LAN only: 2 consoles", "alone". */
export function routeText(route: MeshRoute): Text {
  switch (route.kind) {
    case 'tracker':
      return { key: 'mesh.route.tracker' };
    case 'via':
      return { key: 'mesh.route.via', options: { peer: route.peer } };
    case 'lan':
      return { key: 'mesh.route.lan', options: { count: route.consoles } };
    case 'alone':
      return { key: 'mesh.route.alone' };
  }
}

export function routeTone(route: MeshRoute): Tone {
  return route.kind === 'tracker' ? 'ok' : route.kind === 'alone' ? 'warn' : 'busy';
}

const PEER_ICON: Record<MeshPeerStatus['state'], string> = {
  connected: '●',
  connecting: '◌',
  unreachable: '○',
  refused: '⚠',
};
const PEER_TONE: Record<MeshPeerStatus['state'], Tone> = {
  connected: 'ok',
  connecting: 'busy',
  unreachable: 'warn',
  refused: 'error',
};

export const peerIcon = (state: MeshPeerStatus['state']) => PEER_ICON[state];
export const peerTone = (state: MeshPeerStatus['state']) => PEER_TONE[state];

export function peerStateText(peer: MeshPeerStatus): Text {
  if (peer.state === 'connected' && peer.tracker === 'live') return { key: 'mesh.peer.connectedWithHq' };
  return { key: `mesh.peer.state.${peer.state}` };
}

/** "12 behind" or "up to date", only while connected (an unreachable peer's backlog is unknown). */
export function behindText(peer: MeshPeerStatus): Text {
  if (peer.state !== 'connected') return { key: 'mesh.peer.behindUnknown' };
  return peer.behind === 0
    ? { key: 'mesh.peer.upToDate' }
    : { key: 'mesh.peer.behind', options: { count: peer.behind } };
}

export function peerName(peer: MeshPeerStatus): string {
  return peer.name ?? peer.address ?? peer.deviceId ?? '?';
}
