/** Runs a line's probe spec. Never throws: a bug in a probe becomes an `unknown` result with the reason. */
import type { ProbeSpec } from '../../../src-shared/facility-config.ts';
import type { ProbeResult } from '../../../src-shared/telephony.ts';
import { probeResult, type ProbeContext } from './probe-result.ts';
import { probeSipOptions } from './sip-options-probe.ts';
import { probeRegistration } from './registrar.ts';
import { probeHttp, probeTcp } from './network-probes.ts';

export type ProbeRunner = (spec: ProbeSpec, ctx: ProbeContext) => Promise<ProbeResult>;

export const runProbe: ProbeRunner = async (spec, ctx) => {
  try {
    switch (spec.type) {
      case 'sip-options':
        return await probeSipOptions(spec, ctx);
      case 'sip-registration':
        return await probeRegistration(spec, ctx);
      case 'http':
        return await probeHttp(spec, ctx);
      case 'tcp':
        return await probeTcp(spec, ctx);
    }
  } catch (error) {
    return probeResult(ctx, 'unknown', 'network_error', `probe failed: ${(error as Error)?.message ?? String(error)}`);
  }
};
