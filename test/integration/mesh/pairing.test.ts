/**
 * Two consoles of a facility that never reached a tracker: an admin shows a one-time code
 * on A and types it on B; from then on incidents cross the LAN both ways, over mutual TLS
 * with the keys each pinned. A wrong code pairs nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import type { MeshPairingCode, SyncStatus } from '../../../src-shared/sync.ts';

const open: TestConsole[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  cleanupTestConsoles();
});

async function meshConsole(name: string): Promise<TestConsole> {
  const c = openTestConsole({ mesh: { listen: '127.0.0.1:0', name, backoffBaseMs: 20, backoffCapMs: 300 } });
  open.push(c);
  await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
  c.core.sync.start();
  await c.core.ready;
  await c.core.mesh.listening();
  return c;
}

function until<T>(c: TestConsole, what: string, check: () => T | null | undefined | false, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; mesh ${JSON.stringify(c.core.sync.status().mesh)}`));
    }, ms);
    const probe = () => {
      const value = check();
      if (value) {
        clearTimeout(timer);
        stop();
        resolve(value);
      }
    };
    const stop = c.core.subscribe(() => probe());
    probe();
  });
}

describe('pairing two consoles by a one-time code', () => {
  it('lets incidents cross the LAN both ways once B typed the code A showed', async () => {
    const a = await meshConsole('A');
    const b = await meshConsole('B');
    const shown = await a.call<MeshPairingCode>('mesh.pairingCode');
    expect(shown.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);

    const paired = await b.call<{ deviceId: string }>('mesh.pair', {
      address: shown.address,
      code: `${shown.code.slice(0, 5)}-${shown.code.slice(5).toLowerCase()}`,
    });
    expect(paired.deviceId).toBe(a.core.info().deviceId);

    const fromA = await a.call<{ id: string }>('incidents.create', incidentInput({ title: 'Hot på A' }));
    const fromB = await b.call<{ id: string }>('incidents.create', incidentInput({ title: 'Brand på B' }));
    await until(b, 'A’s incident on B', () => b.core.store.streamEvents(fromA.id).length > 0);
    await until(a, 'B’s incident on A', () => a.core.store.streamEvents(fromB.id).length > 0);

    const status = await a.call<SyncStatus>('sync.status');
    expect(status.mesh.peers).toMatchObject([{ deviceId: b.core.info().deviceId, name: 'B', state: 'connected' }]);
    expect(status.mesh.route).toEqual({ kind: 'lan', consoles: 2 });
    // Each side recorded the other's key in the facility log, signed by itself.
    expect(a.events('device.enrolled').map((e) => (e.payload as { deviceId: string }).deviceId)).toContain(
      b.core.info().deviceId,
    );
  });

  it('pairs with a console that knows it already (paired before): the code is answered, not refused', async () => {
    const a = await meshConsole('A');
    const b = await meshConsole('B');
    const first = await a.call<MeshPairingCode>('mesh.pairingCode');
    await b.call('mesh.pair', { address: first.address, code: first.code });
    const again = await a.call<MeshPairingCode>('mesh.pairingCode');
    const paired = await b.call<{ deviceId: string }>('mesh.pair', { address: again.address, code: again.code });
    expect(paired.deviceId).toBe(a.core.info().deviceId);
    // Neither records the other twice.
    const recordsOf = (by: TestConsole, of: TestConsole) =>
      by
        .events('device.enrolled')
        .filter(
          (e) =>
            e.deviceId === by.core.info().deviceId &&
            (e.payload as { deviceId: string }).deviceId === of.core.info().deviceId,
        );
    expect(recordsOf(a, b)).toHaveLength(1);
    expect(recordsOf(b, a)).toHaveLength(1);
  });

  it('refuses a wrong code and pairs nothing', async () => {
    const a = await meshConsole('A');
    const b = await meshConsole('B');
    const shown = await a.call<MeshPairingCode>('mesh.pairingCode');
    const wrong = shown.code.startsWith('0') ? `1${shown.code.slice(1)}` : `0${shown.code.slice(1)}`;
    const error = await b.fail('mesh.pair', { address: shown.address, code: wrong });
    expect(error).toMatchObject({ code: 'invalid_input', field: 'code' });
    expect(a.events('device.enrolled')).toHaveLength(0);
    expect(b.events('device.enrolled')).toHaveLength(0);
  });
});
