/**
 * `http` and `tcp` probes, for gateways, the tracker and anything that is not SIP.
 * Neither follows redirects or resolves anything beyond the configured host: a probe
 * only ever touches the address the facility config names.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HttpProbeSpec, TcpProbeSpec } from '../../../src-shared/facility-config.ts';
import type { ProbeResult } from '../../../src-shared/telephony.ts';
import { probeResult, settleOnce, socketErrorResult, socketHost, type ProbeContext } from './probe-result.ts';
import { httpExchange } from './http-client.ts';

export async function probeHttp(spec: HttpProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const started = performance.now();
  const res = await httpExchange(spec.url, { timeoutMs: ctx.timeoutMs, statusOnly: true });
  if (!res.ok) {
    if (res.reason === 'network') return socketErrorResult(ctx, res.error);
    return probeResult(ctx, 'down', res.reason === 'timeout' ? 'timeout' : 'network_error', res.message);
  }
  const rtt = performance.now() - started;
  const good =
    spec.expectStatus === undefined ? res.status >= 200 && res.status < 300 : res.status === spec.expectStatus;
  const expected = spec.expectStatus === undefined ? '2xx' : String(spec.expectStatus);
  return probeResult(ctx, good ? 'up' : 'down', 'http_status', `HTTP ${res.status} (expected ${expected})`, rtt);
}

export function probeTcp(spec: TcpProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: socketHost(spec.host), port: spec.port });
    const { finish } = settleOnce(
      ctx.timeoutMs,
      () => probeResult(ctx, 'down', 'timeout', `no TCP connection in ${ctx.timeoutMs} ms`),
      () => socket.destroy(),
      resolve,
    );
    socket.once('connect', () => finish(probeResult(ctx, 'up', 'connected', 'connected', performance.now() - started)));
    socket.once('error', (error) => finish(socketErrorResult(ctx, error)));
  });
}
