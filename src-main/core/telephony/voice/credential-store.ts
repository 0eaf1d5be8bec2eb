/**
 * Where a line's SIP password lives: never in the facility config (that file is
 * copied, mailed and checked into configuration repositories), but in one small file
 * beside the console's database, sealed by the host:
 *
 * - Electron console: `safeStorage` (DPAPI on Windows, Keychain on macOS, libsecret /
 *   kwallet on Linux) seals the file, so a copied data directory is useless on another
 *   machine or account. The codec is injected by the Electron shell
 *   (`src-main/electron/sip-credential-codec.ts`); core never imports electron.
 * - Browser host / service: there is no OS keychain a headless service account can
 *   rely on, so the file is plain JSON that only the service account may read: it is
 *   written with mode 0600 and **refused** when group or others can read it (the same
 *   rule ssh applies to private keys), so a careless `chmod` shows up as a clear error
 *   instead of a quietly exposed password.
 *
 * Either way the file is written atomically (temp file, fsync, rename) so a crash never
 * leaves half a credential file.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { SipCredential } from './sip-call-probe.ts';

export interface CredentialCodec {
  /** Short name shown to admins: where and how the secret is kept. */
  readonly kind: 'service-account-file' | 'electron-safe-storage';
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export const plainFileCodec: CredentialCodec = {
  kind: 'service-account-file',
  seal: (plain) => Buffer.from(plain, 'utf8'),
  open: (sealed) => sealed.toString('utf8'),
};

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

export interface CredentialStore {
  readonly kind: CredentialCodec['kind'];
  readonly file: string;
  /** The credential stored under `ref`, or null when there is none. Throws CredentialError on an unsafe or unreadable file. */
  get(ref: string): SipCredential | null;
  set(ref: string, credential: SipCredential): void;
}

const FileShape = z.record(z.string(), z.object({ username: z.string().min(1), password: z.string().min(1) }).strict());

export function createCredentialStore(file: string, codec: CredentialCodec = plainFileCodec): CredentialStore {
  function readAll(): Record<string, SipCredential> {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CredentialError(`${file}: ${(error as Error).message}`);
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new CredentialError(
        `${file} can be read by other accounts (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    let text: string;
    try {
      text = codec.open(readFileSync(file));
    } catch (error) {
      throw new CredentialError(`${file} cannot be opened on this account: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CredentialError(`${file} is not valid JSON`);
    }
    const parsed = FileShape.safeParse(json);
    if (!parsed.success) throw new CredentialError(`${file}: ${parsed.error.issues[0]?.path.join('.')}: invalid entry`);
    return parsed.data;
  }

  return {
    kind: codec.kind,
    file,
    get: (ref) => readAll()[ref] ?? null,
    set(ref, credential) {
      const all = readAll();
      all[ref] = { username: credential.username, password: credential.password };
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, codec.seal(JSON.stringify(all)));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    },
  };
}
