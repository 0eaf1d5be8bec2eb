/**
 * Whether the real telephony tools are here. Outside CI a missing tool skips the
 * real-telephony tests with a loud message; in CI (`CI=true`) it fails them, since
 * `.ci/run` installs the tools and a silent skip would hide a broken lab.
 */
import { spawnSync } from 'node:child_process';

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

/**
 * True when the suite can run. In CI a missing tool throws (the test fails); elsewhere
 * it prints a loud banner and returns false so the caller registers no tests.
 */
export function requireLabTools(suite: string, needed: (keyof LabTools)[]): boolean {
  const tools = labTools();
  const missing = needed.filter((t) => !tools[t]);
  if (missing.length === 0) return true;
  const message =
    `${suite}: ${missing.join(' and ')} not installed. ` +
    'Install with: apt-get install -y --no-install-recommends kamailio sip-tester';
  if (process.env.CI === 'true') throw new Error(`${message} (required in CI)`);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING REAL-TELEPHONY TESTS: ${message}\n${'!'.repeat(78)}\n`);
  return false;
}
