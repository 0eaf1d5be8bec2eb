/**
 * Line monitoring against real SIP software on loopback: Kamailio as registrar and
 * proxy (with JSON-RPC), sipp as a phone and as a carrier trunk. Crashes kill
 * Kamailio's whole process group, as a real crash would take all its workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireLabTools } from '../../lab/tools.ts';
import { startKamailio, type KamailioLab } from '../../lab/kamailio.ts';
import { sippRegister, startFakeTrunk, type FakeTrunk } from '../../lab/sipp.ts';
import { freePort } from '../../lab/ports.ts';
import { lineNow, measureDetection, waitForLineState, waitForOutageStatus } from '../../lab/line-watch.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';

const labReady = requireLabTools('real-Kamailio line monitor tests', ['kamailio', 'sipp']);

const DEFAULTS = { intervalMs: 1000, timeoutMs: 500, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 };
const WAIT = 20_000;

describe.skipIf(!labReady)('line monitor against real Kamailio and sipp', () => {
  let kamailio: KamailioLab;
  let carrier503: FakeTrunk;
  let blackHole: FakeTrunk;
  let station: TestConsole;
  let phonePort: number;
  const dir = tempDir();

  beforeAll(async () => {
    kamailio = await startKamailio();
    carrier503 = await startFakeTrunk({ code: 503, reason: 'Service Unavailable' });
    blackHole = await startFakeTrunk('blackhole');
    phonePort = await freePort();
    const sip = (port: number, extra: Record<string, unknown> = {}) => ({
      type: 'sip-options',
      host: '127.0.0.1',
      port,
      ...extra,
    });
    const file = join(dir.path, 'guardline.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        facility: { id: 'lab', name: 'Labbanstalten' },
        units: [{ id: 'a', name: 'Avdelning A' }],
        lines: [
          {
            id: 'pbx',
            name: 'Växel (UDP)',
            unit: 'a',
            kind: 'trunk',
            criticality: 'critical',
            probe: sip(kamailio.sipPort),
          },
          {
            id: 'pbx-tcp',
            name: 'Växel (TCP)',
            unit: 'a',
            kind: 'desk',
            via: 'pbx',
            probe: sip(kamailio.sipPort, { transport: 'tcp' }),
          },
          {
            id: 'broken',
            name: 'Trasig anknytning',
            unit: 'a',
            kind: 'desk',
            probe: sip(kamailio.sipPort, { ruriUser: 'fault503' }),
          },
          {
            id: 'alice',
            name: 'Alice telefon',
            unit: 'a',
            kind: 'desk',
            probe: {
              type: 'sip-registration',
              registrar: { provider: 'kamailio-jsonrpc', url: kamailio.rpcUrl },
              aor: 'alice@127.0.0.1',
            },
          },
          { id: 'carrier', name: 'Operatör 503', unit: 'a', kind: 'trunk', probe: sip(carrier503.port) },
          { id: 'silent', name: 'Operatör tyst', unit: 'a', kind: 'trunk', probe: sip(blackHole.port) },
        ],
        probeDefaults: DEFAULTS,
        reserveProcedure: 'Radio kanal 3',
      }),
    );
    station = openTestConsole({ telephony: { configFile: file, pushDelayMs: 20 } });
    await station.core.ready;
  });

  afterAll(async () => {
    await station?.close();
    cleanupTestConsoles();
    await carrier503?.dispose();
    await blackHole?.dispose();
    await kamailio?.dispose();
    dir.cleanup();
  });

  it('shows the PBX lines UP while Kamailio answers OPTIONS over UDP and TCP', async () => {
    expect(await waitForLineState(station.core, 'pbx', 'UP', WAIT)).toMatchObject({
      code: 'sip_status',
      detail: '200 OK',
    });
    expect(await waitForLineState(station.core, 'pbx-tcp', 'UP', WAIT)).toMatchObject({ detail: '200 OK' });
    expect(lineNow(station.core, 'pbx').rttMs).toBeGreaterThan(0);
  });

  it('takes a line DOWN when Kamailio answers 503 for it (the fault503 user)', async () => {
    expect(await waitForLineState(station.core, 'broken', 'DOWN', WAIT)).toMatchObject({
      code: 'sip_status',
      detail: '503 Service Unavailable',
    });
  });

  it('takes a carrier trunk DOWN when sipp answers 503', async () => {
    expect(await waitForLineState(station.core, 'carrier', 'DOWN', WAIT)).toMatchObject({
      detail: '503 Service Unavailable',
    });
  });

  it('takes a black-holed trunk DOWN on timeout, not on refusal', async () => {
    const line = await waitForLineState(station.core, 'silent', 'DOWN', WAIT);
    expect(line).toMatchObject({ code: 'timeout' });
    expect(line.detail).toMatch(/no response in 500 ms/);
  });

  it('is UP while sipp has alice registered, and DOWN after she unregisters from the same contact', async () => {
    await waitForLineState(station.core, 'alice', 'DOWN', WAIT); // not registered yet: "AOR not found"
    expect(lineNow(station.core, 'alice')).toMatchObject({ code: 'no_contact' });
    await sippRegister({ registrarPort: kamailio.sipPort, user: 'alice', expires: 60, localPort: phonePort });
    expect(await waitForLineState(station.core, 'alice', 'UP', WAIT)).toMatchObject({ code: 'registered' });
    expect(lineNow(station.core, 'alice').detail).toContain(`sip:alice@127.0.0.1:${phonePort}`);
    await sippRegister({ registrarPort: kamailio.sipPort, user: 'alice', expires: 0, localPort: phonePort });
    expect(await waitForLineState(station.core, 'alice', 'DOWN', WAIT)).toMatchObject({ code: 'no_contact' });
  });

  // How fast, against the bound, is for `npm run bench telephony`; here: what happens, in which order.
  it('detects a Kamailio crash (whole process group killed): the line goes DOWN, refused, then an outage opens', async () => {
    await waitForLineState(station.core, 'pbx', 'UP', WAIT);
    await waitForLineState(station.core, 'pbx-tcp', 'UP', WAIT);
    const sample = await measureDetection(station.core, {
      lineId: 'pbx',
      fail: () => kamailio.crash(),
      timeoutMs: WAIT,
      expectOutage: true,
    });
    expect(sample.outageMs).not.toBeNull();
    expect(sample.outageMs!).toBeGreaterThanOrEqual(sample.downMs);
    expect(lineNow(station.core, 'pbx')).toMatchObject({ state: 'DOWN', code: 'refused' });
    const down = await waitForLineState(station.core, 'pbx-tcp', 'DOWN', WAIT);
    expect(down.code).toBe('refused');
    const outage = station.core.telephony.outages(true, 10).find((o) => o.lineIds.includes('pbx'))!;
    expect(outage).toMatchObject({ kind: 'automatic', trunk: 'pbx', cause: 'trunk_down' });
    expect(outage.lineIds).toContain('pbx-tcp'); // behind the same trunk: one outage, not two
  });

  it('brings the lines back UP and resolves the outage when Kamailio restarts', async () => {
    const outage = station.core.telephony.outages(true, 10).find((o) => o.lineIds.includes('pbx'))!;
    await kamailio.restart();
    await waitForLineState(station.core, 'pbx', 'UP', WAIT);
    const resolved = await waitForOutageStatus(station.core, outage.id, 'resolved', WAIT);
    expect(resolved.resolution).toBe('recovered');
    expect(resolved.durationMs).toBeGreaterThan(0);
    expect(
      station.core.telephony
        .board()
        .lines.filter((l) => l.id.startsWith('pbx'))
        .map((l) => l.state),
    ).toEqual(['UP', 'UP']);
    expect(station.core.store.verifyChain().ok).toBe(true);
  });
});
