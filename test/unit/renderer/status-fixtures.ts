/**
 * Fixtures for the status and sync model tests: a working line and a live sync by default,
 * override what a test is about.
 */
import { MESH_OFF, type SyncStatus } from '../../../src-shared/sync.ts';
import type { LineView } from '../../../src-shared/telephony.ts';

export function lineView(overrides: Partial<LineView> & { id: string }): LineView {
  return {
    name: overrides.id,
    unit: 'avd-a',
    kind: 'desk',
    criticality: 'normal',
    via: null,
    probeType: 'sip-options',
    state: 'UP',
    since: 1_000,
    lastCheckAt: 2_000,
    rttMs: 0.8,
    code: 'sip_status',
    detail: '200 OK',
    failures: 0,
    lastSuccessAt: 2_000,
    openOutageId: null,
    lastReport: null,
    ...overrides,
  };
}

/** A console enrolled at a tracker, in step, mesh off; last synced now, clock in step, unless overridden. */
export function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'live',
    reason: null,
    trackerUrl: 'http://127.0.0.1:8787',
    facility: 'Märsta',
    mesh: MESH_OFF,
    pending: 0,
    quarantined: 0,
    progress: null,
    lastSuccessAt: Date.now(),
    driftMs: 0,
    driftFlagged: false,
    nextAttemptAt: null,
    lastPulledSeq: 0,
    ...overrides,
  };
}
