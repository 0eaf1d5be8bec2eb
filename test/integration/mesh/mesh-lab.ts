/**
 * Set-up for mesh tests with real consoles in this process (real SQLite files, real TLS
 * listeners on loopback), each peer link through its own fault proxy so a test can cut
 * the LAN between any two consoles, and each tracker link through one too.
 */
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { writeMeshConfig } from '../../support/mesh-config.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { syncConsole } from '../sync/sync-lab.ts';

export interface MeshNode {
  name: string;
  c: TestConsole;
  config: string;
  address: string;
  deviceId: string;
}

/** A console with a mesh listener on 127.0.0.1 and a facility config file (peers set later). */
export async function meshNode(dir: string, name: string, admin = true): Promise<MeshNode> {
  const config = join(dir, `${name}.config.json`);
  writeMeshConfig(config, { listen: '127.0.0.1:0', peers: [] });
  const c = admin
    ? await syncConsole(dir, name, {
        telephony: { configFile: config, configDebounceMs: 20 },
        mesh: { name, backoffBaseMs: 20, backoffCapMs: 300 },
      })
    : await syncConsole(dir, name, {
        telephony: { configFile: config, configDebounceMs: 20 },
        mesh: { name, backoffBaseMs: 20, backoffCapMs: 300 },
      });
  await c.core.ready;
  return { name, c, config, address: '', deviceId: c.core.info().deviceId };
}

/** Start mesh and sync; resolves with the bound address. */
export async function startMesh(node: MeshNode): Promise<void> {
  node.c.core.sync.start();
  node.address = (await node.c.core.mesh.listening()) ?? '';
  if (!node.address) throw new Error(`${node.name} has no mesh listener`);
}

/** One proxy per ordered pair (from -> to), so a cut is a real broken TCP path. */
export async function wireMesh(nodes: MeshNode[]): Promise<Map<string, FaultProxy>> {
  const proxies = new Map<string, FaultProxy>();
  for (const from of nodes) {
    const peers: string[] = [];
    for (const to of nodes) {
      if (from === to) continue;
      const port = Number(to.address.slice(to.address.lastIndexOf(':') + 1));
      const proxy = await startFaultProxy(port, proxies.size + 1);
      proxies.set(`${from.name}>${to.name}`, proxy);
      peers.push(`127.0.0.1:${proxy.port}`);
    }
    writeMeshConfig(from.config, { peers });
  }
  return proxies;
}

/** Cut (or heal) the LAN between two consoles, both directions, open connections too. */
export function setLan(proxies: Map<string, FaultProxy>, a: string, b: string, state: 'up' | 'down'): void {
  for (const key of [`${a}>${b}`, `${b}>${a}`]) {
    const p = proxies.get(key);
    if (!p) throw new Error(`no proxy ${key}`);
    p.setLink(state);
    if (state === 'down') p.cutAll();
  }
}

export function connectedPeers(node: MeshNode): number {
  return node.c.core.sync.status().mesh.peers.filter((p) => p.state === 'connected').length;
}

/** Poll (these conditions change on socket events, not on pushes this test can await). */
export async function until(
  what: string,
  check: () => boolean,
  timeoutMs = 300_000,
  describe: () => string = () => '',
): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}. ${describe()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Rows per author in a console's log: id count and distinct ids, and the device sequence numbers. */
export function authorLedger(c: TestConsole): Map<string, { rows: number; ids: Set<string>; seqs: number[] }> {
  const rows = c.core.store.db
    .prepare('SELECT id, device_id, device_seq FROM events ORDER BY device_id, device_seq')
    .all() as { id: string; device_id: string; device_seq: number | null }[];
  const out = new Map<string, { rows: number; ids: Set<string>; seqs: number[] }>();
  for (const r of rows) {
    const entry = out.get(r.device_id) ?? { rows: 0, ids: new Set<string>(), seqs: [] };
    entry.rows += 1;
    entry.ids.add(r.id);
    if (r.device_seq !== null) entry.seqs.push(r.device_seq);
    out.set(r.device_id, entry);
  }
  return out;
}
