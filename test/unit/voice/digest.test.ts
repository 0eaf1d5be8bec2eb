import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenge, pickChallenge } from '../../../src-main/core/telephony/voice/digest.ts';

// RFC 7616 §3.9.1: the same request answered with SHA-256 and MD5.
const RFC7616 = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};
const challenge = (algorithm: string) =>
  `Digest realm="${RFC7616.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`;
const answer = (algorithm: string) =>
  digestAuthorization({
    challenge: parseChallenge(challenge(algorithm))!,
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nc: 1,
    cnonce: RFC7616.cnonce,
  });

describe('digest authentication', () => {
  it('answers RFC 7616 example with SHA-256', () => {
    expect(answer('SHA-256')).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
  });

  it('answers RFC 7616 example with MD5', () => {
    expect(answer('MD5')).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });

  it('answers RFC 2617 example (MD5 is the default when no algorithm is named)', () => {
    const c = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    expect(c.algorithm).toBe('MD5');
    const header = digestAuthorization({
      challenge: c,
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nc: 1,
      cnonce: '0a4f113b',
    });
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('takes the first challenge whose algorithm it supports (RFC 8760 §2.4)', () => {
    const picked = pickChallenge([
      'Digest realm="r", nonce="n1", algorithm=SHA-512-384',
      'Digest realm="r", nonce="n2", algorithm=SHA-256',
      'Digest realm="r", nonce="n3", algorithm=MD5',
    ]);
    expect(picked?.nonce).toBe('n2');
    expect(picked?.algorithm).toBe('SHA-256');
  });

  it('refuses schemes and qop values it cannot answer', () => {
    expect(parseChallenge('Basic realm="x"')).toBeNull();
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeNull();
    expect(() => parseChallenge('Digest realm="r"')).toThrow(/realm or nonce/);
  });

  it('reads stale=true so a stale nonce is retried, not reported as a wrong password', () => {
    expect(parseChallenge('Digest realm="r", nonce="n", stale=TRUE')!.stale).toBe(true);
  });
});
