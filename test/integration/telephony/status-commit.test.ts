/**
 * How the monitor's line changes are committed (issue 12p). A change that moves no outage
 * commits without waiting for its fsync: the store syncs the WAL off the console's thread and
 * only then announces and shares it (a power cut before takes the record back, and the
 * monitor records the change again from its next probes). A change that opens an outage keeps
 * its durable commit: the outage is listed at once. A real console core on a real SQLite file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppendResult } from '../../../src-main/core/store/event-store.ts';
import { createEventFactory } from '../../../src-main/core/event-factory.ts';
import { createLineQueries } from '../../../src-main/core/telephony/line-projection.ts';
import { createOutageQueries } from '../../../src-main/core/telephony/outage-projection.ts';
import type { LineTracker } from '../../../src-main/core/telephony/hysteresis.ts';
import {
  recordStateChange,
  type FacilityNow,
  type RecorderDeps,
} from '../../../src-main/core/telephony/status-recorder.ts';
import type { LineConfig } from '../../../src-shared/facility-config.ts';
import { createHlc } from '../../../src-shared/hlc.ts';
import type { LineEvidence } from '../../../src-shared/telephony.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';

const T0 = Date.UTC(2026, 11, 5, 23, 0, 0);
const consoles: TestConsole[] = [];
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close();
  cleanupTestConsoles();
});

const LINE: LineConfig = {
  id: 'desk-1',
  name: 'Linje 1',
  unit: 'a',
  kind: 'desk',
  criticality: 'critical',
  via: null,
  probe: { type: 'sip-options', host: '127.0.0.1', port: 5060, transport: 'udp' } as LineConfig['probe'],
  probeIssue: null,
};

const evidence = (ok: boolean, at: number): LineEvidence => ({
  probeType: 'sip-options',
  ok,
  code: ok ? 'sip_status' : 'timeout',
  rttMs: ok ? 1 : null,
  detail: '',
  failures: ok ? 0 : 3,
  firstFailureAt: ok ? null : at - 2_000,
  lastSuccessAt: ok ? at : at - 3_000,
  at,
});

function recorder() {
  const c = openTestConsole({ wallClock: () => T0 });
  consoles.push(c);
  const store = c.core.store;
  const deviceId = c.core.info().deviceId;
  const wallClock = () => T0;
  const deps: RecorderDeps = {
    store,
    makeEvent: createEventFactory({ clock: createHlc({ node: deviceId, wallClock }), deviceId, wallClock }),
    lineQueries: createLineQueries(store.db),
    outageQueries: createOutageQueries(store.db),
    wallClock,
    deviceId,
  };
  const trackers = new Map<string, LineTracker>();
  const now: FacilityNow = {
    facilityId: 'test-facility',
    lines: new Map([[LINE.id, LINE]]),
    windowMs: 60_000,
    tracker: (id) => trackers.get(id),
  };
  const heard: string[] = [];
  store.onCommitted((result: AppendResult) => heard.push(...result.stored.map((e) => e.type)));
  return { c, store, deps, now, trackers, heard };
}

describe("the monitor's line changes", () => {
  it('a change that moves no outage is announced and shared once on disk, its commit not waiting for it', async () => {
    const { c, store, deps, now, heard } = recorder();
    const outages = recordStateChange(deps, now, LINE.id, { from: 'UNKNOWN', to: 'UP', evidence: evidence(true, T0) });
    expect(outages).toEqual([]);
    // In the log, not yet announced nor shareable.
    const [changed] = c.events('line.status_changed');
    expect(changed).toMatchObject({ payload: { lineId: LINE.id, from: 'UNKNOWN', to: 'UP' } });
    expect(heard).toEqual([]);
    expect(store.shareableThrough()).toBe(changed!.seq - 1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);

    await store.flushed();
    expect(heard).toEqual(['line.status_changed']);
    expect(store.shareableThrough()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a change that opens an outage keeps its durable commit: announced with its outage at once', () => {
    const { store, deps, now, trackers, heard } = recorder();
    trackers.set(LINE.id, {
      state: 'DOWN',
      since: T0,
      streak: { outcome: 'down', count: 3 },
      failures: 3,
      worstFailure: 'down',
      firstFailureAt: T0 - 2_000,
      lastSuccessAt: T0 - 3_000,
      last: null,
    });
    const outages = recordStateChange(deps, now, LINE.id, { from: 'UP', to: 'DOWN', evidence: evidence(false, T0) });
    expect(outages).toHaveLength(1);
    expect(heard).toEqual(['line.status_changed', 'outage.opened']);
    expect(store.shareableThrough()).toBe(Number.MAX_SAFE_INTEGER);
  });
});
