/**
 * Seals the console's SIP credential file with Electron's `safeStorage` (DPAPI,
 * Keychain, libsecret/kwallet): a copied data directory is useless on another machine
 * or account. Where the OS offers no real key store (Linux without a keyring falls
 * back to a hard-coded key, `basic_text`), sealing is refused with the reason rather
 * than pretending: the admin then runs the browser host under a service account, whose
 * 0600 file is the honest alternative (see core/telephony/voice/credential-store.ts).
 */
import { safeStorage } from 'electron';
import type { CredentialCodec } from '../core/telephony/index.ts';

export function safeStorageCodec(): CredentialCodec {
  const ensure = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('the operating system offers no key store to seal SIP credentials with');
    }
    const backend =
      process.platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function'
        ? safeStorage.getSelectedStorageBackend()
        : null;
    if (backend === 'basic_text') {
      throw new Error(
        'no desktop keyring (safeStorage would use a built-in key); start a keyring or use the browser host',
      );
    }
  };
  return {
    kind: 'electron-safe-storage',
    seal(plain) {
      ensure();
      return safeStorage.encryptString(plain);
    },
    open(sealed) {
      ensure();
      return safeStorage.decryptString(sealed);
    },
  };
}
