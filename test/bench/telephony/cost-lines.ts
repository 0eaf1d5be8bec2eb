/** The probe-cost facility: N lines, most over UDP like real desk phones, every fourth over TCP. */
import type { DemoEndpointSpec } from '../../../src-main/core/telephony/demo-responder.ts';

export function costLineSpecs(count: number): DemoEndpointSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    lineId: `line-${String(i).padStart(3, '0')}`,
    transport: i % 4 === 3 ? ('tcp' as const) : ('udp' as const),
    via: null,
  }));
}

export function costFacilityConfig(ports: Record<string, number>, intervalMs: number) {
  const specs = costLineSpecs(Object.keys(ports).length);
  return {
    facility: { id: 'bench', name: 'Bänkanstalten' },
    units: Array.from({ length: 10 }, (_, u) => ({ id: `u${u}`, name: `Avdelning ${u}` })),
    lines: specs.map((s, i) => ({
      id: s.lineId,
      name: `Linje ${i}`,
      unit: `u${i % 10}`,
      kind: 'desk',
      criticality: i % 20 === 0 ? 'critical' : 'normal',
      probe: {
        type: 'sip-options',
        host: '127.0.0.1',
        port: ports[s.lineId],
        transport: s.transport,
        ruriUser: s.lineId,
      },
    })),
    probeDefaults: { intervalMs, timeoutMs: 2000, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 },
    reserveProcedure: 'Radio kanal 3',
  };
}
