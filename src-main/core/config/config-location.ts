/**
 * Which facility config a console uses: the one named on the command line or in the
 * environment, else `guardline.config.json` in the data dir if it exists. With none,
 * the console runs the demo facility, so a first start shows a working monitor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CONFIG_FILE_NAME = 'guardline.config.json';

export function defaultConfigFile(dataDir: string): string {
  return join(dataDir, CONFIG_FILE_NAME);
}

/** Telephony options for `createConsoleCore` from the launch options hosts already parse. */
export function telephonyLaunchOptions(launch: { configFile: string | null; dataDir: string }): {
  configFile: string | null;
  demo: boolean;
} {
  const fallback = defaultConfigFile(launch.dataDir);
  const configFile = launch.configFile ?? (existsSync(fallback) ? fallback : null);
  return { configFile, demo: configFile === null };
}
