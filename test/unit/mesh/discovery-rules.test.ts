import { describe, expect, it } from 'vitest';
import { readAnnouncement } from '../../../src-main/core/mesh/discovery.ts';
import { discoveryWanted } from '../../../src-main/core/mesh/index.ts';

const OURS = { v: '1', f: 'Märsta', d: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', k: 'AbCdEfGh12345678' };

describe('which mDNS announcements a console looks at', () => {
  it('reads a well-formed announcement of its own facility', () => {
    expect(readAnnouncement(OURS, 'Märsta')).toEqual({ deviceId: OURS.d, fingerprint: OURS.k });
    // TXT values may arrive as bytes.
    const bytes = Object.fromEntries(Object.entries(OURS).map(([k, v]) => [k, Buffer.from(v)]));
    expect(readAnnouncement(bytes, 'Märsta')).toEqual({ deviceId: OURS.d, fingerprint: OURS.k });
  });

  it.each([
    ['another facility', { ...OURS, f: 'Kumla' }, 'another facility'],
    ['another protocol version', { ...OURS, v: '2' }, 'TXT v is not 1'],
    ['a device id with path characters', { ...OURS, d: '../../etc/passwd' }, 'TXT d is not a device id'],
    ['an overlong device id', { ...OURS, d: 'a'.repeat(65) }, 'TXT d is not a device id'],
    ['a fingerprint too short', { ...OURS, k: 'x' }, 'TXT k is not a key fingerprint'],
    ['no fingerprint', { v: '1', f: 'Märsta', d: OURS.d }, 'TXT k is not a key fingerprint'],
    ['no TXT at all', undefined, 'no TXT record'],
  ])('refuses %s', (_what, txt, reason) => {
    expect(readAnnouncement(txt, 'Märsta')).toEqual({ refused: reason });
  });
});

describe('when a console announces and browses', () => {
  it('is on by default for a LAN listener, off for loopback, the demo facility and no listener', () => {
    expect(discoveryWanted('10.0.0.5:7000', undefined, false)).toBe(true);
    expect(discoveryWanted('0.0.0.0:7000', undefined, false)).toBe(true);
    expect(discoveryWanted('127.0.0.1:7000', undefined, false)).toBe(false);
    expect(discoveryWanted('[::1]:7000', undefined, false)).toBe(false);
    expect(discoveryWanted('10.0.0.5:7000', undefined, true)).toBe(false);
    expect(discoveryWanted(null, true, false)).toBe(false);
  });

  it('follows the facility config when it says', () => {
    expect(discoveryWanted('10.0.0.5:7000', false, false)).toBe(false);
    expect(discoveryWanted('127.0.0.1:7000', true, false)).toBe(true);
    expect(discoveryWanted('10.0.0.5:7000', true, true)).toBe(true);
  });
});
