/**
 * The whole telephony feature in a real console core: real SQLite file, real
 * sockets on 127.0.0.1 (the demo responder and scripted endpoints), real timers at a
 * short interval. Waits are on pushes, never sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import { startUdpEndpoint, responseTo, type ScriptedEndpoint } from '../../lab/scripted-endpoint.ts';
import {
  lineNow,
  measureDetection,
  waitFor,
  waitForLineState,
  waitForOpenOutage,
  waitForOutageStatus,
} from '../../lab/line-watch.ts';
import type { LineBoard, LineHistory } from '../../../src-shared/telephony.ts';
import type { Outage } from '../../../src-shared/outages.ts';

const FAST = { intervalMs: 200, timeoutMs: 100, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 };
const WAIT = 10_000;

const consoles: TestConsole[] = [];
const endpoints: ScriptedEndpoint[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close();
  for (const e of endpoints.splice(0)) await e.close();
  cleanupTestConsoles();
  for (const d of dirs.splice(0)) d.cleanup();
});

function open(options: Parameters<typeof openTestConsole>[0]): TestConsole {
  const c = openTestConsole(options);
  consoles.push(c);
  return c;
}

async function endpoint(healthy: { ok: boolean }) {
  const e = await startUdpEndpoint((req) => (healthy.ok ? [responseTo(req)] : []));
  endpoints.push(e);
  return e;
}

function writeConfig(file: string, lines: unknown[], extra: Record<string, unknown> = {}) {
  writeFileSync(
    file,
    JSON.stringify({
      facility: { id: 'test-facility', name: 'Testanstalten' },
      units: [{ id: 'a', name: 'Avdelning A' }],
      lines,
      probeDefaults: FAST,
      reserveProcedure: { sv: 'Radio kanal 3', en: 'Radio channel 3' },
      ...extra,
    }),
  );
}
const sipLine = (id: string, port: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Linje ${id}`,
  unit: 'a',
  kind: 'desk',
  criticality: 'critical',
  probe: { type: 'sip-options', host: '127.0.0.1', port, transport: 'udp' },
  ...extra,
});

describe('demo facility', () => {
  it('groups a trunk failure into one outage, shows the fallback, and resolves it with a duration', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await c.core.ready;
    for (const id of ['trunk', 'desk-a', 'desk-b']) await waitForLineState(c.core, id, 'UP', WAIT);
    const board = await c.call<LineBoard>('lines.board');
    expect(board).toMatchObject({ demo: true, fallbackActive: false, facility: { id: 'demo' } });
    expect(board.lines).toHaveLength(6);

    await c.core.telephony.setDemoFault('trunk', 'down');
    const outage = await waitFor(
      c.core,
      'trunk outage with both desks',
      () => c.core.telephony.outages(true, 10).find((o) => o.lineIds.length === 3),
      WAIT,
    );
    expect(outage).toMatchObject({ kind: 'automatic', cause: 'trunk_down', trunk: 'trunk', status: 'open' });
    expect([...outage.lineIds].sort()).toEqual(['desk-a', 'desk-b', 'trunk']);
    expect(c.core.telephony.outages(true, 10)).toHaveLength(1);
    expect(lineNow(c.core, 'trunk')).toMatchObject({ state: 'DOWN', code: 'refused', openOutageId: outage.id });
    expect(c.core.telephony.board().fallbackActive).toBe(true);
    expect(lineNow(c.core, 'emergency').state).toBe('UP');

    await c.core.telephony.setDemoFault('trunk', 'none');
    const resolved = await waitForOutageStatus(c.core, outage.id, 'resolved', WAIT);
    expect(resolved.resolution).toBe('recovered');
    expect(resolved.durationMs).toBeGreaterThan(0);
    expect(c.core.telephony.board().fallbackActive).toBe(false);

    const down = c.events('line.status_changed').find((e) => (e.payload as { to: string }).to === 'DOWN');
    expect(down?.payload).toMatchObject({
      facilityId: 'demo',
      from: 'UP',
      to: 'DOWN',
      evidence: { probeType: 'sip-options', failures: 3, ok: false },
    });
    expect(c.events('outage.opened')).toHaveLength(1);
    expect(c.events('outage.resolved')).toHaveLength(1);
    expect(c.core.store.verifyChain().ok).toBe(true);
  });

  it('tells a 503 and a black hole apart in the evidence', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await c.core.ready;
    await waitForLineState(c.core, 'emergency', 'UP', WAIT);
    await waitForLineState(c.core, 'guard-room', 'UP', WAIT);
    await c.core.telephony.setDemoFault('emergency', 'error503');
    await c.core.telephony.setDemoFault('guard-room', 'blackhole');
    expect(await waitForLineState(c.core, 'emergency', 'DOWN', WAIT)).toMatchObject({
      code: 'sip_status',
      detail: '503 Service Unavailable',
    });
    expect(await waitForLineState(c.core, 'guard-room', 'DOWN', WAIT)).toMatchObject({ code: 'timeout' });
    // the emergency line is critical, the guard room is not
    expect(await waitForOpenOutage(c.core, 'emergency', WAIT)).toMatchObject({
      cause: 'lines_down',
      lineIds: ['emergency'],
    });
    expect(c.core.telephony.outages(true, 10).some((o) => o.lineIds.includes('guard-room'))).toBe(false);
  });

  // How fast (the bound interval × threshold + timeout + 1 s) is measured by `npm run bench telephony`.
  it('takes a black-holed critical line DOWN on timeouts, then opens its outage', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await c.core.ready;
    await waitForLineState(c.core, 'emergency', 'UP', WAIT);
    const sample = await measureDetection(c.core, {
      lineId: 'emergency',
      fail: () => c.core.telephony.setDemoFault('emergency', 'blackhole'),
      timeoutMs: WAIT,
      expectOutage: true,
    });
    expect(lineNow(c.core, 'emergency').code).toBe('timeout');
    expect(sample.outageMs).not.toBeNull();
    expect(sample.outageMs!).toBeGreaterThanOrEqual(sample.downMs); // the line went DOWN first, then the outage
  });

  it('keeps RTT samples out of the event log and returns them with the state history', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await enrolStandardRoster(c);
    await c.core.ready;
    for (const line of c.core.telephony.board().lines) await waitForLineState(c.core, line.id, 'UP', WAIT);
    const history = await c.call<LineHistory>('lines.history', { lineId: 'desk-b', limit: 50 });
    expect(history.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['UNKNOWN->UP']);
    expect(history.samples.length).toBeGreaterThanOrEqual(2);
    expect(history.samples.every((s) => s.outcome === 'up' && s.rttMs !== null)).toBe(true);
    // Their commit skipped its own fsync (measurements); commands keep theirs.
    expect(c.core.store.db.pragma('synchronous', { simple: true })).toBe(2);
    const events = c.events().filter((e) => e.type.startsWith('line.'));
    expect(events.every((e) => e.type === 'line.status_changed')).toBe(true);
    expect(events.length).toBe(6); // one UNKNOWN->UP per line, however many probes ran
  });
});

describe('guard reports and supervisor decisions', () => {
  it('opens a reported outage for a report on an UP line that a supervisor confirms', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await enrolStandardRoster(c);
    await c.core.ready;
    await waitForLineState(c.core, 'desk-a', 'UP', WAIT);
    await c.signIn('G1');
    const report = await c.call<{ reportId: string; outageId: string }>('lines.reportProblem', {
      lineId: 'desk-a',
      problem: 'one_way_audio',
      text: 'Hör inte den som ringer',
    });
    const outage = c.core.telephony.outages(true, 10).find((o) => o.id === report.outageId)!;
    expect(outage).toMatchObject({
      kind: 'reported',
      cause: 'reported',
      lineIds: ['desk-a'],
      openedBy: 'G1',
      report: { problem: 'one_way_audio', reporter: 'G1' },
    });
    expect(lineNow(c.core, 'desk-a')).toMatchObject({
      state: 'UP',
      openOutageId: outage.id,
      lastReport: { problem: 'one_way_audio', reporter: 'G1' },
    });
    expect(c.core.telephony.board().fallbackActive).toBe(false); // not until a supervisor confirms

    expect(await c.fail('outages.confirm', { outageId: outage.id })).toMatchObject({ code: 'forbidden' });
    await c.signIn('S1');
    const confirmed = await c.call<Outage>('outages.confirm', { outageId: outage.id, note: 'Bekräftat' });
    expect(confirmed.confirmed).toMatchObject({ by: 'S1', text: 'Bekräftat' });
    expect(c.core.telephony.board().fallbackActive).toBe(true); // desk-a is critical
    const resolved = await c.call<Outage>('outages.resolve', { outageId: outage.id, note: 'Operatören åtgärdade' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'manual' });
    expect(await c.fail('outages.dismiss', { outageId: outage.id })).toMatchObject({ code: 'illegal_transition' });
  });

  it('attaches a report on a line already in an outage to it, and refuses decisions on measured outages', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await enrolStandardRoster(c);
    await c.core.ready;
    await waitForLineState(c.core, 'emergency', 'UP', WAIT);
    await c.core.telephony.setDemoFault('emergency', 'down');
    const outage = await waitForOpenOutage(c.core, 'emergency', WAIT);
    const report = await c.call<{ outageId: string }>('lines.reportProblem', {
      lineId: 'emergency',
      problem: 'no_dial_tone',
    });
    expect(report.outageId).toBe(outage.id);
    expect(c.core.telephony.outages(true, 10)).toHaveLength(1);
    expect(await c.fail('outages.dismiss', { outageId: outage.id })).toMatchObject({ code: 'illegal_transition' });
    expect(await c.fail('lines.reportProblem', { lineId: 'nope', problem: 'other' })).toMatchObject({
      code: 'not_found',
      field: 'lineId',
    });
    expect(await c.fail('lines.reportProblem', { lineId: 'emergency', problem: 'smoke' })).toMatchObject({
      code: 'invalid_input',
      field: 'problem',
    });
  });

  it('a supervisor dismisses a false report', async () => {
    const c = open({ telephony: { demo: true, pushDelayMs: 20 } });
    await enrolStandardRoster(c);
    await c.core.ready;
    await waitForLineState(c.core, 'desk-b', 'UP', WAIT);
    const { outageId } = await c.call<{ outageId: string }>('lines.reportProblem', {
      lineId: 'desk-b',
      problem: 'calls_drop',
    });
    const dismissed = await c.call<Outage>('outages.dismiss', { outageId, note: 'Fel apparat' });
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissed: { by: 'A1', text: 'Fel apparat' } });
    expect(
      c.pushes.some((p) => p.name === 'outages.changed' && (p.payload as { ids: string[] }).ids.includes(outageId)),
    ).toBe(true);
  });
});

describe('facility config in the console', () => {
  it('shows a line with an unknown probe type as UNKNOWN with the JSON path, and keeps monitoring the rest', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'guardline.config.json');
    const e = await endpoint({ ok: true });
    writeConfig(file, [sipLine('good', e.port), { ...sipLine('odd', e.port), probe: { type: 'sip-carrier-pigeon' } }]);
    const c = open({ telephony: { configFile: file, pushDelayMs: 20, configDebounceMs: 50 } });
    await enrolStandardRoster(c);
    await c.core.ready;
    await waitForLineState(c.core, 'good', 'UP', WAIT);
    expect(lineNow(c.core, 'odd')).toMatchObject({
      state: 'UNKNOWN',
      code: 'invalid_probe',
      detail: expect.stringContaining('UNKNOWN: lines[1].probe.type'),
    });
    const status = await c.call<{ warnings: { path: string }[]; ok: boolean; source: string }>('config.status');
    expect(status).toMatchObject({ ok: true, source: 'file', warnings: [{ path: 'lines[1].probe.type' }] });
  });

  it('applies an edit without a restart and keeps the last good config on a bad one', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'guardline.config.json');
    const e = await endpoint({ ok: true });
    writeConfig(file, [sipLine('one', e.port)]);
    const c = open({ telephony: { configFile: file, pushDelayMs: 20, configDebounceMs: 50 } });
    await c.core.ready;
    await waitForLineState(c.core, 'one', 'UP', WAIT);

    writeConfig(file, [sipLine('one', e.port), sipLine('two', e.port)]);
    await waitForLineState(c.core, 'two', 'UP', WAIT);

    writeConfig(file, [sipLine('one', e.port), { ...sipLine('three', e.port), unit: 'missing-unit' }]);
    const refused = await waitFor(
      c.core,
      'config refused',
      () => (c.core.telephony.configStatus().ok ? null : c.core.telephony.configStatus()),
      WAIT,
    );
    expect(refused.error).toMatchObject({ file, path: 'lines[1].unit' });
    expect(c.core.telephony.board().lines.map((l) => l.id)).toEqual(['one', 'two']);
    expect(c.pushes.some((p) => p.name === 'config.changed' && (p.payload as { ok: boolean }).ok === false)).toBe(true);
  });

  it('resumes line states after a restart without re-announcing them or opening a second outage', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'guardline.config.json');
    const health = { ok: true };
    const e = await endpoint(health);
    writeConfig(file, [sipLine('main', e.port)]);
    const data = join(dir.path, 'console.sqlite');
    const first = open({ file: data, telephony: { configFile: file, pushDelayMs: 20 } });
    await first.core.ready;
    await waitForLineState(first.core, 'main', 'UP', WAIT);
    health.ok = false;
    const outage = await waitForOpenOutage(first.core, 'main', WAIT);
    await first.close();
    consoles.splice(consoles.indexOf(first), 1);

    const second = open({ file: data, telephony: { configFile: file, pushDelayMs: 20 } });
    await second.core.ready;
    expect(lineNow(second.core, 'main').state).toBe('DOWN');
    const samplesBefore = second.core.telephony.history('main', 1000).samples.length;
    await waitFor(
      second.core,
      'more probes after restart',
      () => second.core.telephony.history('main', 1000).samples.length >= samplesBefore + 4 || null,
      WAIT,
    );
    expect(second.events('outage.opened')).toHaveLength(1);
    expect(
      second.events('line.status_changed').filter((ev) => (ev.payload as { to: string }).to === 'DOWN'),
    ).toHaveLength(1);

    health.ok = true;
    expect(await waitForOutageStatus(second.core, outage.id, 'resolved', WAIT)).toMatchObject({
      resolution: 'recovered',
    });
  });

  it('refuses demo faults outside demo mode and reports telephony off without config', async () => {
    const c = open({});
    await enrolStandardRoster(c);
    await c.core.ready;
    expect(await c.call('demo.status')).toEqual({ enabled: false, faults: {} });
    expect(await c.fail('demo.setLineFault', { lineId: 'trunk', fault: 'down' })).toMatchObject({ code: 'forbidden' });
    expect(await c.call('config.status')).toMatchObject({ source: 'none', lineCount: 0 });
    expect(await c.call('lines.board')).toMatchObject({ facility: null, lines: [], fallbackActive: false });
  });
});
