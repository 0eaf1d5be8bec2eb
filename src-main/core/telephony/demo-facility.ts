/**
 * The demo facility: what a new user sees when no config file exists. Three units,
 * six lines (a carrier trunk with two desks behind it, an emergency line, an
 * intercom, the guard room) probed against the demo responder on loopback. The
 * config goes through the same validation as a real file.
 */
import { validateFacilityConfig, type FacilityConfig } from '../../../src-shared/facility-config.ts';
import type { DemoEndpointSpec } from './demo-responder.ts';

interface DemoLine extends DemoEndpointSpec {
  name: string;
  unit: string;
  kind: 'desk' | 'trunk' | 'emergency' | 'intercom';
  criticality: 'normal' | 'critical';
}

export const DEMO_LINES: readonly DemoLine[] = [
  {
    lineId: 'trunk',
    name: 'Operatörstrunk (SIP)',
    unit: 'central',
    kind: 'trunk',
    criticality: 'critical',
    transport: 'udp',
    via: null,
  },
  {
    lineId: 'desk-a',
    name: 'Expedition Avdelning A',
    unit: 'avd-a',
    kind: 'desk',
    criticality: 'critical',
    transport: 'udp',
    via: 'trunk',
  },
  {
    lineId: 'desk-b',
    name: 'Expedition Avdelning B',
    unit: 'avd-b',
    kind: 'desk',
    criticality: 'normal',
    transport: 'udp',
    via: 'trunk',
  },
  {
    lineId: 'emergency',
    name: 'Larmlinje',
    unit: 'central',
    kind: 'emergency',
    criticality: 'critical',
    transport: 'tcp',
    via: null,
  },
  {
    lineId: 'intercom-a',
    name: 'Porttelefon Avdelning A',
    unit: 'avd-a',
    kind: 'intercom',
    criticality: 'normal',
    transport: 'tcp',
    via: null,
  },
  {
    lineId: 'guard-room',
    name: 'Vaktcentralen',
    unit: 'central',
    kind: 'desk',
    criticality: 'normal',
    transport: 'udp',
    via: null,
  },
];

export const DEMO_FACILITY_SOURCE = 'demo:guardline';

export function demoFacilityConfig(portOf: (lineId: string) => number): FacilityConfig {
  const value = {
    facility: { id: 'demo', name: 'Demoanläggningen' },
    units: [
      { id: 'central', name: 'Centralvakten' },
      { id: 'avd-a', name: 'Avdelning A' },
      { id: 'avd-b', name: 'Avdelning B' },
    ],
    lines: DEMO_LINES.map((l) => ({
      id: l.lineId,
      name: l.name,
      unit: l.unit,
      kind: l.kind,
      criticality: l.criticality,
      ...(l.via ? { via: l.via } : {}),
      probe: {
        type: 'sip-options',
        host: '127.0.0.1',
        port: portOf(l.lineId),
        transport: l.transport,
        ruriUser: l.lineId,
      },
    })),
    probeDefaults: { intervalMs: 1000, timeoutMs: 500, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 },
    outages: { groupingWindowMs: 30_000 },
    reserveProcedure: {
      sv: 'Telefonin är nere. Använd radio kanal 3 till centralvakten. Larm: mobil 070-000 00 00. Rapportera till skiftledaren.',
      en: 'Phones are down. Use radio channel 3 to the central guard room. Alarms: mobile 070-000 00 00. Report to the shift lead.',
    },
  };
  const result = validateFacilityConfig(value, DEMO_FACILITY_SOURCE);
  if (!result.ok) throw new Error(`demo config is invalid: ${result.error.path}: ${result.error.message}`);
  return result.config;
}
