import { describe, expect, it } from 'vitest';
import { probeRegistration, readLookup, type RegistrarProvider } from '../../../src-main/core/telephony/registrar.ts';

const contact = (address: string, expires: number | string) => ({ Contact: { Address: address, Expires: expires } });

describe('Kamailio ul.lookup answers', () => {
  it('counts live contacts as registered', () => {
    expect(readLookup(200, { result: { AoR: 'alice', Contacts: [contact('sip:alice@127.0.0.1:5062', 59)] } })).toEqual({
      kind: 'registered',
      contacts: ['sip:alice@127.0.0.1:5062'],
    });
    expect(readLookup(200, { result: { Contacts: [contact('sip:a@b', 'permanent')] } }).kind).toBe('registered');
  });

  it('reads "AOR not found" in an HTTP 500 body as no contact, not as a registrar failure', () => {
    const body = { jsonrpc: '2.0', error: { code: 500, message: 'AOR not found in location table' }, id: 1 };
    expect(readLookup(500, body)).toEqual({ kind: 'not_registered', detail: 'no contact registered' });
  });

  it('treats expired contacts as not registered', () => {
    expect(readLookup(200, { result: { Contacts: [contact('sip:a@b', 0)] } }).kind).toBe('not_registered');
  });

  it('reports other errors and odd shapes as registrar errors', () => {
    expect(readLookup(500, { error: { message: 'Internal error' } }).kind).toBe('error');
    expect(readLookup(200, { result: 'weird' }).kind).toBe('error');
    expect(readLookup(200, null).kind).toBe('error');
  });
});

describe('registration probe', () => {
  const spec = {
    type: 'sip-registration',
    registrar: { provider: 'kamailio-jsonrpc', url: 'http://127.0.0.1:1/RPC' },
    aor: 'alice',
  } as const;
  const ctx = { timeoutMs: 500, wallClock: () => 1000 };
  const provider = (answer: Awaited<ReturnType<RegistrarProvider['lookup']>>): RegistrarProvider => ({
    lookup: async () => answer,
  });

  it('maps registered / not registered / registrar error to up / down / unknown', async () => {
    expect(await probeRegistration(spec, ctx, provider({ kind: 'registered', contacts: ['sip:a@b'] }))).toMatchObject({
      state: 'up',
      code: 'registered',
    });
    expect(await probeRegistration(spec, ctx, provider({ kind: 'not_registered', detail: 'x' }))).toMatchObject({
      state: 'down',
      code: 'no_contact',
    });
    expect(
      await probeRegistration(spec, ctx, provider({ kind: 'error', detail: 'registrar unreachable: ECONNREFUSED' })),
    ).toMatchObject({
      ok: false,
      state: 'unknown',
      code: 'registrar_error',
      at: 1000,
    });
  });

  it('is unknown, never up, when the registrar cannot be reached', async () => {
    const r = await probeRegistration(spec, ctx);
    expect(r).toMatchObject({ ok: false, state: 'unknown', code: 'registrar_error' });
    expect(r.detail).toContain('registrar unreachable');
  });
});
