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
 * Uploads (issue 15, HQ admin): `POST /v1/hq/releases` stages the files in
 * `<dir>/uploads/.staging-*`, verifies them the same way, renames the staged directory
 * to `<dir>/uploads/<version>-<time>` and then points `<dir>/CURRENT` at it (written to a
 * temporary file and renamed over, so a crash leaves the old or the new pointer, never
 * half of one). While CURRENT exists the tracker serves the directory it names instead of
 * `<dir>` itself. Checksums are computed by streaming, so a large installer never holds
 * the tracker's thread.
 *
 * The channel files are read with a small parser for the flat shape electron-builder
 * writes (scalars, and a `files:` list of url/sha512/size maps) rather than a YAML
 * library: the tracker has no YAML dependency, and anything outside that shape is refused.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

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
  /** The directory the files are in. */
  dir: string;
  /** Channel file name → its text, served as is. */
  channels: Map<string, string>;
  /** Installer (and its optional `.blockmap`) file names, served from `dir`. */
  files: Set<string>;
  loadedAt: number;
}

export type LoadResult = { ok: true; release: Release } | { ok: false; reason: string };

const CHANNEL = /^latest(-[a-z0-9]+)?\.yml$/;
/** A plain file name: what electron-builder names installers (letters, digits, `._ -`). */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]*$/;
export const isPlainFileName = (name: string) => SAFE_NAME.test(name) && !name.includes('..');
/** Where uploaded releases live under the release directory, and the pointer to the served one. */
export const UPLOADS_DIR = 'uploads';
export const CURRENT_FILE = 'CURRENT';

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
    if (!f.url) throw new Error(`files.${i}.url is missing`);
    if (!f.sha512) throw new Error(`files.${i}.sha512 is missing`);
    if (f.size === undefined || !Number.isSafeInteger(size) || size < 0)
      throw new Error(`files.${i}.size is missing or not a byte count`);
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

async function sha512(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * Reads and verifies a release directory; never throws. `exact`: every file in the
 * directory must be a channel file, a file one names, or that file's `.blockmap` (an
 * upload holds nothing else).
 */
export async function loadRelease(dir: string, now: number, exact = false): Promise<LoadResult> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) return { ok: false, reason: `${dir} is not a directory` };
    names = await readdir(dir);
  } catch {
    return { ok: false, reason: `${dir} is not a directory` };
  }
  const channelNames = names.filter((n) => CHANNEL.test(n)).sort();
  if (channelNames.length === 0) return { ok: false, reason: 'no latest*.yml: not an electron-builder release' };
  const channels = new Map<string, string>();
  const files = new Set<string>();
  let version: string | null = null;
  for (const name of channelNames) {
    const text = await readFile(join(dir, name), 'utf8');
    let channel: ChannelFile;
    try {
      channel = parseChannelFile(text);
    } catch (error) {
      return { ok: false, reason: `${name}: ${(error as Error).message}` };
    }
    if (version !== null && channel.version !== version) {
      return { ok: false, reason: `${name}: version ${channel.version}, another channel file says ${version}` };
    }
    version = channel.version;
    for (const [i, file] of channel.files.entries()) {
      if (!isPlainFileName(file.url)) {
        return { ok: false, reason: `${name}: files.${i}.url ${file.url} is not a file name in the release` };
      }
      const path = join(dir, file.url);
      if (!(await isFile(path))) return { ok: false, reason: `${name} names ${file.url}, which is missing` };
      const size = (await stat(path)).size;
      if (size !== file.size) {
        return { ok: false, reason: `${file.url} is ${size} bytes; ${name} files.${i}.size says ${file.size}` };
      }
      if ((await sha512(path)) !== file.sha512) {
        return { ok: false, reason: `${file.url} does not match files.${i}.sha512 in ${name}` };
      }
      files.add(file.url);
      if (await isFile(`${path}.blockmap`)) files.add(`${file.url}.blockmap`);
    }
    channels.set(name, text);
  }
  if (exact) {
    const extra = names.find((n) => !channels.has(n) && !files.has(n));
    if (extra !== undefined) return { ok: false, reason: `${extra} is not named by any latest*.yml` };
  }
  return { ok: true, release: { version: version!, dir, channels, files, loadedAt: now } };
}

/** The directory served from `root`: the upload CURRENT names, else `root` itself. */
export async function servedDir(root: string): Promise<string> {
  const pointer = await readFile(join(root, CURRENT_FILE), 'utf8').catch(() => null);
  if (pointer === null) return root;
  const name = pointer.trim();
  if (!isPlainFileName(name)) throw new Error(`${join(root, CURRENT_FILE)} names ${name}, not an upload`);
  return join(root, UPLOADS_DIR, name);
}

/** Durable rename-over of a small file: the reader sees the old or the new text, whole. */
async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text);
  const handle = await open(temp, 'r');
  await handle.sync();
  await handle.close();
  await rename(temp, path);
  const dir = await open(join(path, '..'), 'r');
  await dir.sync().catch(() => {}); // directories cannot be fsynced on every platform
  await dir.close();
}

/**
 * Makes a verified staged upload the served release: renames it into place, then
 * swaps CURRENT. Keeps the release it replaces (a download in flight may still read it)
 * and removes older uploads.
 */
export async function commitUpload(root: string, staged: Release, now: number): Promise<Release> {
  const uploads = join(root, UPLOADS_DIR);
  const name = `${staged.version.replace(/[^A-Za-z0-9._-]/g, '_')}-${now}`;
  const target = join(uploads, name);
  await rename(staged.dir, target);
  const previous = await servedDir(root).catch(() => root);
  await replaceFile(join(root, CURRENT_FILE), `${name}\n`);
  const keep = new Set([name, relative(uploads, previous).split(sep)[0]]);
  for (const old of await readdir(uploads)) {
    if (!keep.has(old) && !old.startsWith('.staging-')) await rm(join(uploads, old), { recursive: true, force: true });
  }
  return { ...staged, dir: target, loadedAt: now };
}
