/**
 * The facility config checked before a console starts. A console that runs with a broken
 * config runs with no lines, the default escalation policy and the default facility name:
 * the facility believes it is monitored when nothing is. So at start a config that cannot
 * be used stops the console with one line naming the file, the JSON path and the reason.
 * (After a start, a broken edit is refused and the last good config keeps running: there a
 * good config exists to fall back on; the UI tells admins.)
 */
import { statSync } from 'node:fs';
import { describeConfigIssue } from '../../../src-shared/facility-config.ts';
import { loadFacilityConfigFile } from './facility-config-file.ts';

export type ConfigAtStart =
  | { ok: true }
  /** `flag`: the file named by --config / GUARDLINE_CONFIG does not exist or is empty. */
  | { ok: false; kind: 'flag' | 'invalid'; message: string };

/**
 * `named`: the file the user named (--config or GUARDLINE_CONFIG), or null. `inUse`: the
 * file the console would load (the named one, or guardline.config.json in the data dir).
 */
export function checkConfigAtStart(named: string | null, inUse: string | null): ConfigAtStart {
  if (named !== null) {
    const stats = statSync(named, { throwIfNoEntry: false });
    if (!stats) return { ok: false, kind: 'flag', message: `--config ${named}: file not found` };
    if (stats.isDirectory())
      return { ok: false, kind: 'flag', message: `--config ${named}: is a directory, not a file` };
    if (stats.size === 0) return { ok: false, kind: 'flag', message: `--config ${named}: the file is empty` };
  }
  if (inUse === null) return { ok: true };
  const result = loadFacilityConfigFile(inUse);
  if (result.ok) return { ok: true };
  return { ok: false, kind: 'invalid', message: `facility config ${describeConfigIssue(result.error)}` };
}
