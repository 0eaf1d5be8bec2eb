/** Line views for the status model tests: a working line by default, override what a test is about. */
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
