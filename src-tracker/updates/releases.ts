/**
 * Console releases for facilities without internet (issue 15): the tracker serves the
 * `npm run dist` output from a release directory in electron-updater's generic-provider
 * layout (`latest.yml`, `latest-linux.yml`, … beside the installers they name), so a
 * console's electron-updater points at `<tracker>/updates/`.
 *
 * A release is taken only whole and verified: every file a channel file names must be
 * in the directory with the size and sha512 it states. Anything else is refused with the
 * reason and the release already served stays (nothing is replaced by half a release).
 *
 * The channel files are read with a small parser for the flat shape electron-builder
 * writes (scalars, and a `files:` list of url/sha512/size maps) rather than a YAML
 * library: the tracker has no YAML dependency, and anything outside that shape is refused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ReleaseFile {
  url: string;
  sha512: string;
  size: number;
}

export interface ChannelFile {
  version: string;
  files: ReleaseFile[];
  path: string;
  sha512: string;
  releaseDate: string | null;
}

export interface Release {
  version: string;
  /** Channel file name → its text, served as is. */
  channels: Map<string, string>;
  /** Installer file name → absolute path. */
  files: Map<string, string>;
  loadedAt: number;
}

export type LoadResult = { ok: true; release: Release } | { ok: false; reason: string };

const CHANNEL = /^latest(-[a-z0-9]+)?\.yml$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]*$/;

const unquote = (v: string) =>
  v
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .replace(/^"(.*)"$/, '$1');

export function parseChannelFile(text: string): ChannelFile {
  const top: Record<string, string> = {};
  const files: Record<string, string>[] = [];
  let inFiles = false;
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+(\w+):\s*(.*)$/.exec(raw);
    const more = /^\s+(\w+):\s*(.*)$/.exec(raw);
    const scalar = /^(\w+):\s*(.*)$/.exec(raw);
    if (inFiles && item) files.push({ [item[1]!]: unquote(item[2]!) });
    else if (inFiles && more && files.length > 0) files[files.length - 1]![more[1]!] = unquote(more[2]!);
    else if (scalar) {
      inFiles = scalar[1] === 'files' && scalar[2] === '';
      if (!inFiles) top[scalar[1]!] = unquote(scalar[2]!);
    } else throw new Error(`line ${n + 1} is not in electron-builder's channel file shape`);
  }
  if (!top.version) throw new Error('no version');
  const parsed = files.map((f, i) => {
    const size = Number(f.size);
    if (!f.url || !f.sha512 || !Number.isSafeInteger(size) || size < 0)
      throw new Error(`files.${i} lacks url, sha512 or size`);
    return { url: f.url, sha512: f.sha512, size };
  });
  if (parsed.length === 0) throw new Error('no files');
  return {
    version: top.version,
    files: parsed,
    path: top.path ?? parsed[0]!.url,
    sha512: top.sha512 ?? parsed[0]!.sha512,
    releaseDate: top.releaseDate ?? null,
  };
}

function sha512(path: string): string {
  return createHash('sha512').update(readFileSync(path)).digest('base64');
}

/** Reads and verifies a release directory; never throws. */
export function loadRelease(dir: string, now: number): LoadResult {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { ok: false, reason: `${dir} is not a directory` };
  const channelNames = readdirSync(dir).filter((n) => CHANNEL.test(n));
  if (channelNames.length === 0) return { ok: false, reason: 'no latest*.yml: not an electron-builder release' };
  const channels = new Map<string, string>();
  const files = new Map<string, string>();
  let version: string | null = null;
  for (const name of channelNames) {
    const text = readFileSync(join(dir, name), 'utf8');
    let channel: ChannelFile;
    try {
      channel = parseChannelFile(text);
    } catch (error) {
      return { ok: false, reason: `${name}: ${(error as Error).message}` };
    }
    if (version !== null && channel.version !== version) {
      return { ok: false, reason: `${name} is version ${channel.version}, another channel file ${version}` };
    }
    version = channel.version;
    for (const file of channel.files) {
      if (!SAFE_NAME.test(file.url) || file.url.includes('..')) {
        return { ok: false, reason: `${name}: ${file.url} is not a file name in the release directory` };
      }
      const path = join(dir, file.url);
      if (!existsSync(path)) return { ok: false, reason: `${name} names ${file.url}, which is missing` };
      const size = statSync(path).size;
      if (size !== file.size) return { ok: false, reason: `${file.url} is ${size} bytes, ${name} says ${file.size}` };
      if (sha512(path) !== file.sha512)
        return { ok: false, reason: `${file.url} does not match the sha512 in ${name}` };
      files.set(file.url, path);
    }
    channels.set(name, text);
  }
  return { ok: true, release: { version: version!, channels, files, loadedAt: now } };
}
