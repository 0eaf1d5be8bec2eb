/** Building probe results: every probe answers with the same `{ok, state, code, rttMs, detail, at}`. */
import type { ProbeCode, ProbeOutcome, ProbeResult } from '../../../src-shared/telephony.ts';

export interface ProbeContext {
  timeoutMs: number;
  /** Wall clock for `at` (evidence); round-trip times use the monotonic clock. */
  wallClock: () => number;
}

export function probeResult(
  ctx: Pick<ProbeContext, 'wallClock'>,
  state: ProbeOutcome,
  code: ProbeCode,
  detail: string,
  rttMs: number | null = null,
): ProbeResult {
  return {
    ok: state === 'up',
    state,
    code,
    rttMs: rttMs === null ? null : Math.round(rttMs * 1000) / 1000,
    detail: detail.length > 500 ? `${detail.slice(0, 497)}...` : detail,
    at: Math.floor(ctx.wallClock()),
  };
}

/** Socket errors as evidence: "refused" (nothing listens) is a different fact from "timeout" (black hole). */
export function socketErrorResult(ctx: Pick<ProbeContext, 'wallClock'>, error: NodeJS.ErrnoException): ProbeResult {
  if (error.code === 'ECONNREFUSED')
    return probeResult(ctx, 'down', 'refused', 'refused: nothing listens at the target');
  return probeResult(ctx, 'down', 'network_error', `${error.code ?? 'error'}: ${error.message}`);
}

/** `[::1]` as written in a config or URI -> `::1` as sockets want it. */
export function socketHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * A probe's single answer: the first of its answer, error, close or deadline settles it; the
 * deadline is cleared, `release` closes the socket (and any timer of the probe's own), and later
 * calls do nothing. Returns `finish` and whether the probe has settled.
 */
export function settleOnce(
  timeoutMs: number,
  onDeadline: () => ProbeResult,
  release: () => void,
  resolve: (result: ProbeResult) => void,
): { finish: (result: ProbeResult) => void; settled: () => boolean } {
  let done = false;
  const finish = (result: ProbeResult) => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    release();
    resolve(result);
  };
  const deadline = setTimeout(() => finish(onDeadline()), timeoutMs);
  return { finish, settled: () => done };
}
