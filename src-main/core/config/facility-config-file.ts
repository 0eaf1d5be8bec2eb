/**
 * The facility config on disk: load it, and watch it so an administrator's edit
 * applies without a restart. A bad edit never replaces a good config: the last good
 * one stays in force and the error (file, JSON path, what is wrong) is reported.
 */
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseFacilityConfig, type ConfigIssue, type ConfigParseResult } from '../../../src-shared/facility-config.ts';

/** Larger than any real facility config; protects against pointing at the wrong file. */
export const MAX_CONFIG_BYTES = 2_000_000;

export function loadFacilityConfigFile(file: string): ConfigParseResult {
  const fail = (code: ConfigIssue['code'], message: string): ConfigParseResult => ({
    ok: false,
    error: { code, file, path: '(root)', message },
  });
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES)
      return fail('config_unreadable', `file is ${size} bytes; the limit is ${MAX_CONFIG_BYTES}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return fail('config_not_found', 'file not found');
    return fail('config_unreadable', `cannot read the file (${e.code ?? e.message})`);
  }
  return parseFacilityConfig(text, file);
}

export interface ConfigWatch {
  close(): void;
}

/**
 * Calls `onChange` with a fresh load result after the file settles. Watches the
 * directory, not the file: editors save by writing a new file and renaming it over
 * the old one, which a watch on the old inode would miss.
 */
export function watchFacilityConfigFile(
  file: string,
  onChange: (result: ConfigParseResult) => void,
  options: { debounceMs?: number } = {},
): ConfigWatch {
  const debounceMs = options.debounceMs ?? 200;
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (closed || (changed !== null && changed !== name)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!closed) onChange(loadFacilityConfigFile(file));
      }, debounceMs);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // The directory does not exist (yet): nothing to watch; the status already says "not found".
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
