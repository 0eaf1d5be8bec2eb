import { describe, expect, it } from 'vitest';
import { takeToken, tokenFromHash, type TokenPlace } from '../../../src-renderer/bridge/token.ts';

function place(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['guardline.token', stored]] : []);
  const replaced: string[] = [];
  const p: TokenPlace = {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState: (_data, _unused, url) => replaced.push(String(url)) },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { p, storage, replaced };
}

describe('browser host token', () => {
  it('reads the token from the URL fragment', () => {
    expect(tokenFromHash('#token=0123456789abcdef')).toBe('0123456789abcdef');
    expect(tokenFromHash('#other=1&token=abcdef0123')).toBe('abcdef0123');
  });

  it('ignores fragments without a plausible token', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#token=<script>')).toBeNull();
  });

  it('keeps the token for reloads and strips it from the address bar', () => {
    const { p, storage, replaced } = place('#token=0123456789abcdef');
    expect(takeToken(p)).toBe('0123456789abcdef');
    expect(storage.get('guardline.token')).toBe('0123456789abcdef');
    expect(replaced).toEqual(['/']);
  });

  it('uses the kept token after a reload that has no fragment', () => {
    const { p, replaced } = place('', 'feedfacefeedface');
    expect(takeToken(p)).toBe('feedfacefeedface');
    expect(replaced).toEqual([]);
  });

  it('prefers a fresh token in the fragment over a kept one', () => {
    const { p } = place('#token=aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb');
    expect(takeToken(p)).toBe('aaaaaaaaaaaaaaaa');
  });
});
