import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Electron is mocked at its edge only: a safeStorage that "encrypts" by reversing and tagging bytes.
const state = { available: true, backend: 'gnome_libsecret' };
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (s: string) => Buffer.concat([Buffer.from('SEALED:'), Buffer.from(s).reverse()]),
    decryptString: (b: Buffer) => Buffer.from(b.subarray(7)).reverse().toString(),
  },
}));

const { safeStorageCodec } = await import('../../../src-main/electron/sip-credential-codec.ts');
const { createCredentialStore } = await import('../../../src-main/core/telephony/index.ts');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  state.available = true;
  state.backend = 'gnome_libsecret';
});
const file = () => {
  const d = mkdtempSync(join(tmpdir(), 'guardline-cred-'));
  dirs.push(d);
  return join(d, 'sip-credentials.sealed');
};

describe('SIP credentials sealed with safeStorage', () => {
  it('never writes the password in clear, and reads it back', () => {
    const f = file();
    const store = createCredentialStore(f, safeStorageCodec());
    store.set('trunk-a', { username: 'trunk', password: 'hemligt-lösen' });
    expect(readFileSync(f).toString('latin1')).not.toContain('hemligt');
    expect(store.get('trunk-a')).toEqual({ username: 'trunk', password: 'hemligt-lösen' });
    expect(store.kind).toBe('electron-safe-storage');
  });

  it('refuses to seal with the built-in key Linux falls back to without a keyring', () => {
    state.backend = 'basic_text';
    const store = createCredentialStore(file(), safeStorageCodec());
    expect(() => store.set('trunk-a', { username: 'u', password: 'p' })).toThrow(/no desktop keyring/);
  });

  it('refuses when the OS has no key store at all', () => {
    state.available = false;
    const store = createCredentialStore(file(), safeStorageCodec());
    expect(() => store.set('trunk-a', { username: 'u', password: 'p' })).toThrow(/no key store/);
  });
});
