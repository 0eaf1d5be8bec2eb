/**
 * DNS-SD/mDNS discovery on a real multicast LAN (issue 12, item 2b). Loopback carries no
 * multicast, so the test builds a LAN of network namespaces (test/lab/netns.ts): consoles A
 * and B, each a process of its own in its own namespace (separate network stacks), and a
 * hostile host M. A and B were enrolled with a tracker earlier (so each holds the other's
 * signed device record); the tracker is gone and neither has a `peers` entry. Each
 * announces itself, finds the other and replicates a signed incident over mutual TLS. M
 * floods the LAN with announcements of unknown consoles, a forged one for B and garbage:
 * A stays bounded, dials no unknown console and keeps replicating.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../../support/incidents.ts';
import { createLan, requireNetns, type Lan } from '../../lab/netns.ts';
import { startConsoleProcess, type ConsoleProcess } from '../../support/console-process-client.ts';
import { writeMeshConfig } from '../../support/mesh-config.ts';
import { enrol, enrolmentCode, FACILITY, startTracker, syncConsole } from '../sync/sync-lab.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { until } from './facility-lab.ts';

const HOSTILE_SCRIPT = new URL('../../support/mdns-hostile.ts', import.meta.url).pathname;
const MAX_CACHED = 16;
/** Burst = twice this: a 300-answer flood must hit the limit. */
const ANSWERS_PER_SECOND = 20;
const runnable = requireNetns('mesh discovery (mDNS in network namespaces)');

let dir: string;
let lan: Lan | null = null;
const consoles: ConsoleProcess[] = [];
let a: ConsoleProcess;
let b: ConsoleProcess;
let hostile: ChildProcess | null = null;
let fingerprints: Record<'a' | 'b', string>;

beforeAll(async () => {
  if (!runnable) return;
  dir = mkdtempSync(join(tmpdir(), 'guardline-discovery-'));
  // Earlier, with the tracker: both consoles enrol and learn each other's device record.
  const tracker = await startTracker(join(dir, 'tracker.sqlite'));
  try {
    const early = [await syncConsole(dir, 'a'), await syncConsole(dir, 'b')];
    for (const c of early) await enrol(c, tracker.url, await enrolmentCode(tracker.url));
    const [ea, eb] = early as [(typeof early)[0], (typeof early)[0]];
    const ids = early.map((c) => c.core.info().deviceId);
    await until(
      'both consoles hold both device records',
      () => early.every((c) => ids.every((id) => c.core.trust.keyring.entries(id).length > 0)),
      120_000,
    );
    fingerprints = { a: ea.core.identity.fingerprint, b: eb.core.identity.fingerprint };
    for (const c of early) await c.close();
  } finally {
    await tracker.kill();
  }
  lan = createLan(['a', 'b', 'm']);
  const start = async (name: 'a' | 'b', unit: string) => {
    const configFile = join(dir, `${name}.config.json`);
    writeMeshConfig(configFile, { peers: [] }, FACILITY);
    const node = lan!.nodes.get(name)!;
    const c = await startConsoleProcess((cmd, args) => lan!.spawnIn(name, cmd, args), {
      dataFile: join(dir, `${name}.sqlite`),
      configFile,
      listen: `${node.address}:0`,
      name: name.toUpperCase(),
      unit,
      facility: FACILITY,
      discoveryLimits: { maxCached: MAX_CACHED, answersPerSecond: ANSWERS_PER_SECOND, queryEveryMs: 2_000 },
    });
    consoles.push(c);
    return c;
  };
  [a, b] = await Promise.all([start('a', 'Avdelning B'), start('b', 'Ledningscentral')]);
}, 240_000);

afterAll(async () => {
  hostile?.kill('SIGKILL');
  try {
    await Promise.all(consoles.map((c) => c.stop()));
  } finally {
    lan?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

async function connectedTo(c: ConsoleProcess): Promise<string[]> {
  const s = await c.status();
  return s.mesh.peers.filter((p) => p.state === 'connected').map((p) => p.deviceId ?? '?');
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${what}\nA:\n${a.log()}\nB:\n${b.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createIncident(on: ConsoleProcess, title: string): Promise<Incident> {
  return on.call<Incident>('incidents.create', incidentNow(title, 'A-a', { facility: FACILITY }));
}

describe.skipIf(!runnable)('mesh discovery over mDNS between network namespaces', () => {
  it('announces, finds the other console with no peers entry, and replicates a signed incident', async () => {
    const configured = (await a.status()).mesh;
    expect(configured.listening).toMatch(/^10\.77\.0\.1:\d+$/);
    expect(configured.discovery).not.toBeNull();
    await eventually('A and B connected by discovery', async () => {
      return (await connectedTo(a)).includes(b.deviceId) && (await connectedTo(b)).includes(a.deviceId);
    });
    // The address A dials is B's own, learnt from B's announcement, not from any config. When
    // B's connection reached A first, A's dialler learns whose address it holds only once its
    // own handshake with B has run (it then leaves B's connection in place), so it is awaited.
    const addressOfB = async () => (await a.status()).mesh.peers.find((p) => p.deviceId === b.deviceId)?.address;
    await eventually("B's announced address on A", async () => (await addressOfB()) != null);
    expect(await addressOfB()).toMatch(/^10\.77\.0\.2:\d+$/);

    await a.call('auth.signIn', { staffNumber: 'A-a', pin: '1111' });
    const incident = await createIncident(a, 'Hot i dagrummet – hittad via mDNS');
    const atB = await b.call<StoredEvent>('test.waitForStream', { streamId: incident.id });
    expect(atB.deviceId).toBe(a.deviceId);
    expect(atB.sig).toBeTruthy();
    expect(atB.deviceSeq).toBeGreaterThan(0);
  }, 120_000);

  it('ignores a flood of unknown, forged and garbage announcements: bounded, nothing unknown dialled', async () => {
    hostile = lan!.spawnIn('m', process.execPath, [
      HOSTILE_SCRIPT,
      JSON.stringify({
        facility: FACILITY,
        interface: lan!.nodes.get('m')!.address,
        count: 300,
        impersonate: { deviceId: b.deviceId, fingerprint: fingerprints.b },
      }),
    ]);
    let hostileErr = '';
    hostile.stderr!.on('data', (c: Buffer) => (hostileErr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      hostile!.once('exit', (code) => reject(new Error(`hostile host exited ${code}: ${hostileErr}`)));
      createInterface({ input: hostile!.stdout! }).on('line', (l) => l.startsWith('PUBLISHED') && resolve());
    });
    // UDP drops part of a burst, so "many more than the cache holds" rather than every one.
    await eventually('A refused the flood', async () => (await a.status()).mesh.discovery!.refused > 4 * MAX_CACHED);
    const d = (await a.status()).mesh.discovery!;
    // Strangers are bounded; B (trusted) is kept apart: at most its real and the forged address.
    expect(d.heard).toBeLessThanOrEqual(MAX_CACHED + 2);
    expect(d.dialable).toBeGreaterThanOrEqual(1);
    expect(d.dialable).toBeLessThanOrEqual(2);
    expect(d.rateLimited).toBeGreaterThan(0);
    expect(a.log()).toMatch(/mesh discovery: ignored an announcement: device \S+ is not known to this facility/);

    // No unknown console is ever dialled; the forged "B" at M's address at most fails its handshake.
    const peers = (await a.status()).mesh.peers;
    const atM = peers.filter((p) => p.address?.startsWith('10.77.0.3:'));
    expect(atM.length).toBeLessThanOrEqual(1);
    expect(atM.every((p) => p.state !== 'connected')).toBe(true);
    expect(await connectedTo(a)).toEqual([b.deviceId]);

    // The mesh still works.
    const incident = await createIncident(a, 'Efter flodvågen');
    const atB = await b.call<StoredEvent>('test.waitForStream', { streamId: incident.id });
    expect(atB.deviceId).toBe(a.deviceId);
  }, 120_000);
});
