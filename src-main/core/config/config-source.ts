/**
 * Where the console's facility config comes from: a watched file, the built-in demo
 * facility, or nothing. Keeps the last good config in force and says why a newer
 * edit was not taken.
 */
import type { ConfigIssue, ConfigParseResult, FacilityConfig } from '../../../src-shared/facility-config.ts';
import type { ConfigStatus } from '../../../src-shared/telephony.ts';
import { loadFacilityConfigFile, watchFacilityConfigFile } from './facility-config-file.ts';

export type ConfigListener = (config: FacilityConfig | null, status: ConfigStatus) => void;

export interface FacilityConfigSource {
  current(): FacilityConfig | null;
  status(): ConfigStatus;
  /** Called after every (re)load attempt, good or bad. */
  subscribe(listener: ConfigListener): () => void;
  close(): void;
}

export function fileConfigSource(
  file: string,
  options: { wallClock: () => number; watch?: boolean; debounceMs?: number },
): FacilityConfigSource {
  let config: FacilityConfig | null = null;
  let loadedAt: number | null = null;
  let error: ConfigIssue | null = null;
  let warnings: ConfigIssue[] = [];
  const listeners = new Set<ConfigListener>();

  const apply = (result: ConfigParseResult) => {
    if (result.ok) {
      config = result.config;
      warnings = result.warnings;
      error = null;
      loadedAt = Math.floor(options.wallClock());
    } else {
      error = result.error; // the last good config (if any) stays in force
    }
  };
  const status = (): ConfigStatus => ({
    source: 'file',
    file,
    ok: error === null,
    loadedAt,
    error,
    warnings,
    lineCount: config?.lines.length ?? 0,
  });

  apply(loadFacilityConfigFile(file));
  const watch =
    options.watch === false
      ? null
      : watchFacilityConfigFile(
          file,
          (result) => {
            apply(result);
            for (const l of listeners) l(config, status());
          },
          { debounceMs: options.debounceMs },
        );

  return {
    current: () => config,
    status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      watch?.close();
      listeners.clear();
    },
  };
}

/** A config built in code (the demo facility). */
export function staticConfigSource(config: FacilityConfig, loadedAt: number): FacilityConfigSource {
  return {
    current: () => config,
    status: () => ({
      source: 'demo',
      file: null,
      ok: true,
      loadedAt,
      error: null,
      warnings: [],
      lineCount: config.lines.length,
    }),
    subscribe: () => () => undefined,
    close: () => undefined,
  };
}

/** Telephony not configured on this console. */
export function noConfigSource(): FacilityConfigSource {
  return {
    current: () => null,
    status: () => ({ source: 'none', file: null, ok: true, loadedAt: null, error: null, warnings: [], lineCount: 0 }),
    subscribe: () => () => undefined,
    close: () => undefined,
  };
}
