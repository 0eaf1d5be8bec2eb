/**
 * `sip-registration` probe: does the registrar hold a live contact for the AOR?
 * Registrars differ, so each is a provider; Kamailio's JSON-RPC `ul.lookup` is the
 * first. An unreachable or confused registrar is `unknown`, not `down`: it says
 * nothing about the phone, and guessing either way would be a false state.
 */
import { performance } from 'node:perf_hooks';
import type { SipRegistrationProbeSpec } from '../../../src-shared/facility-config.ts';
import type { ProbeResult } from '../../../src-shared/telephony.ts';
import { probeResult, type ProbeContext } from './probe-result.ts';
import { httpExchange } from './http-client.ts';

export type RegistrationLookup =
  | { kind: 'registered'; contacts: string[] }
  | { kind: 'not_registered'; detail: string }
  | { kind: 'error'; detail: string };

export interface RegistrarProvider {
  lookup(aor: string, ctx: ProbeContext): Promise<RegistrationLookup>;
}

const MAX_RPC_BODY = 1_000_000;

/** Kamailio `jsonrpcs` over HTTP (xhttp): `ul.lookup location <aor>`. */
export function kamailioJsonRpcRegistrar(url: string): RegistrarProvider {
  return {
    async lookup(aor, ctx) {
      // A malformed request can make Kamailio hang instead of erroring: the client timeout is the only bound.
      const res = await httpExchange(url, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'ul.lookup', params: ['location', aor], id: 1 }),
        timeoutMs: ctx.timeoutMs,
        maxBody: MAX_RPC_BODY,
      });
      if (!res.ok) {
        const why = res.reason === 'network' ? (res.error.code ?? res.error.message) : res.message;
        return { kind: 'error', detail: `registrar unreachable: ${why}` };
      }
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        return { kind: 'error', detail: `registrar answered HTTP ${res.status} without JSON` };
      }
      return readLookup(res.status, body);
    },
  };
}

/** Kamailio reports "no such AOR" as an HTTP 500 with a JSON-RPC error: read the body, not the status. */
export function readLookup(status: number, body: unknown): RegistrationLookup {
  const rpc = body as { result?: { Contacts?: unknown }; error?: { message?: unknown } } | null;
  if (rpc && typeof rpc === 'object' && rpc.error) {
    const message = typeof rpc.error.message === 'string' ? rpc.error.message : 'JSON-RPC error';
    if (/AOR not found/i.test(message)) return { kind: 'not_registered', detail: 'no contact registered' };
    return { kind: 'error', detail: `registrar error (HTTP ${status}): ${message.slice(0, 200)}` };
  }
  const contacts = rpc?.result?.Contacts;
  if (status !== 200 || !Array.isArray(contacts)) {
    return { kind: 'error', detail: `registrar answered HTTP ${status} without a lookup result` };
  }
  const live = contacts
    .map((c) => (c as { Contact?: { Address?: unknown; Expires?: unknown } })?.Contact)
    .filter(
      (c) =>
        c &&
        typeof c.Address === 'string' &&
        (c.Expires === 'permanent' || (typeof c.Expires === 'number' && c.Expires > 0)),
    )
    .map((c) => String(c!.Address));
  if (live.length === 0) return { kind: 'not_registered', detail: 'all contacts expired' };
  return { kind: 'registered', contacts: live };
}

export function registrarFor(spec: SipRegistrationProbeSpec): RegistrarProvider {
  switch (spec.registrar.provider) {
    case 'kamailio-jsonrpc':
      return kamailioJsonRpcRegistrar(spec.registrar.url);
  }
}

export async function probeRegistration(
  spec: SipRegistrationProbeSpec,
  ctx: ProbeContext,
  provider: RegistrarProvider = registrarFor(spec),
): Promise<ProbeResult> {
  const started = performance.now();
  const found = await provider.lookup(spec.aor, ctx);
  const rtt = performance.now() - started;
  switch (found.kind) {
    case 'registered':
      return probeResult(ctx, 'up', 'registered', `registered: ${found.contacts.slice(0, 3).join(', ')}`, rtt);
    case 'not_registered':
      return probeResult(ctx, 'down', 'no_contact', found.detail, rtt);
    case 'error':
      return probeResult(ctx, 'unknown', 'registrar_error', found.detail);
  }
}
