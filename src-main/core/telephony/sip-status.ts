/**
 * What a final SIP status says about a line. Any answer proves the endpoint is
 * alive and processing requests, so 2xx, 3xx and most 4xx (even 404 or 405 for an
 * OPTIONS it does not support) count as reachable. 5xx and 6xx mean it cannot serve
 * calls, and 408 (Request Timeout) and 480 (Temporarily Unavailable) are how proxies
 * report that the phone or trunk behind them did not answer: all of those are down.
 */
import type { ProbeOutcome } from '../../../src-shared/telephony.ts';

export function outcomeForSipStatus(status: number): ProbeOutcome | null {
  if (status < 200) return null; // provisional: keep waiting for the final response
  if (status === 408 || status === 480) return 'down';
  if (status < 500) return 'up';
  return 'down';
}
