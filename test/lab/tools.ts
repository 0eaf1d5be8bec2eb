/**
 * Whether the real telephony tools are here. A missing tool fails the real-telephony
 * tests unless the run opts out with GUARDLINE_SKIP=kamailio (see components.ts).
 */
import { spawnSync } from 'node:child_process';
import { requireComponent, skipped } from './components.ts';

export const KAMAILIO_BIN = process.env.GUARDLINE_KAMAILIO ?? '/usr/sbin/kamailio';
export const SIPP_BIN = process.env.GUARDLINE_SIPP ?? 'sipp';

function runs(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
  return r.error === undefined && r.status !== null;
}

export interface LabTools {
  kamailio: boolean;
  sipp: boolean;
}

let cached: LabTools | null = null;
export function labTools(): LabTools {
  cached ??= { kamailio: runs(KAMAILIO_BIN, ['-v']), sipp: runs(SIPP_BIN, ['-v']) };
  return cached;
}

/** True when the suite should run; false when opted out by name; throws when a tool is missing. */
export function requireLabTools(suite: string, needed: (keyof LabTools)[]): boolean {
  if (skipped().has('kamailio')) return requireComponent('kamailio', suite, null);
  const tools = labTools();
  const missing = needed.filter((t) => !tools[t]);
  return requireComponent('kamailio', suite, missing.length === 0 ? null : `${missing.join(' and ')} not installed`);
}
