/**
 * A fingerprint of what users see, so tests (and operators) can prove that two
 * consoles and the tracker hold the same picture. Computed from folded incidents in
 * id order with canonical JSON; uses Web Crypto so it runs in Node, browsers and
 * the tracker alike.
 */
import canonicalize from 'canonicalize';
import type { Incident } from './incident.ts';

export async function projectionHash(incidents: Iterable<Incident>): Promise<string> {
  const ordered = [...incidents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const text = canonicalize(ordered) ?? '[]';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
