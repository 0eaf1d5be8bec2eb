/**
 * `npm run start:web`: the console in a browser tab. Builds the renderer when needed,
 * opens the local store, starts the browser host on 127.0.0.1 and prints its URL as
 * one line, `Guardline web host: <url>`, which the e2e harness waits for.
 *
 * Before anything starts it checks what a first start trips over, each refused with one
 * line and no stack trace: a data directory that cannot be created or written, another
 * console already running on the same data directory (named by its URL), a --config file
 * that is missing or empty, a facility config that does not validate (file, JSON path,
 * reason), a port in use.
 *
 * Exit codes: 2 for a bad command line (including a missing or empty --config file), 1 when
 * the console cannot start (data directory, another instance, invalid config, store, port).
 * `GUARDLINE_WEB_ROOT` serves another directory instead of `dist-renderer/` (tests).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkConfigAtStart } from '../src-main/core/config/config-at-start.ts';
import { telephonyLaunchOptions } from '../src-main/core/config/config-location.ts';
import { DataDirError, prepareDataDir } from '../src-main/core/data-dir.ts';
import { describeHolder, takeInstanceLock, type InstanceLock } from '../src-main/core/instance-lock.ts';
import { createConsoleCore, type ConsoleCore } from '../src-main/core/console-core.ts';
import { meshLaunchConfig, parseLaunchOptions, type LaunchOptions } from '../src-main/core/launch-options.ts';
import { StoreOpenError } from '../src-main/core/store/database.ts';
import { createWebHost, type WebHost } from '../src-main/host-web/index.ts';
import { checkLaunchFlags } from './launch-flags.ts';
import { repoRoot } from './node-bin.ts';
import { openBrowser } from './open-browser.ts';
import { ensureRendererBuilt, rendererDist } from './renderer-build.ts';

export const READY_PREFIX = 'Guardline web host: ';
/** Printed before the ready line when the facility mesh listens (issue 12). */
export const MESH_PREFIX = 'Guardline mesh: ';
export const EXIT_BAD_FLAGS = 2;
export const EXIT_START_FAILED = 1;

function fail(code: number, message: string): never {
  process.stderr.write(`Guardline: ${message}\n`);
  process.exit(code);
}

/** Flags, or a one-line complaint naming the bad one. */
export function readLaunchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LaunchOptions | { error: string } {
  const flags = checkLaunchFlags(argv);
  if (!flags.ok) return { error: flags.message };
  try {
    return parseLaunchOptions(argv, env);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export async function startWeb(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const options = readLaunchOptions(argv, env);
  if ('error' in options) fail(EXIT_BAD_FLAGS, options.error);

  try {
    prepareDataDir(options.dataDir);
  } catch (error) {
    if (error instanceof DataDirError) fail(EXIT_START_FAILED, error.message);
    throw error;
  }
  const taken = takeInstanceLock(options.dataDir, 'web');
  if (!taken.ok) fail(EXIT_START_FAILED, describeHolder(options.dataDir, taken.holder));
  const lock: InstanceLock = taken.lock;
  // Explicitly typed so the compiler knows it does not return (like `fail`).
  const stop: (code: number, message: string) => never = (code, message) => {
    lock.release();
    return fail(code, message);
  };

  const telephony = telephonyLaunchOptions(options);
  const config = checkConfigAtStart(options.configFile, telephony.configFile);
  if (!config.ok) stop(config.kind === 'flag' ? EXIT_BAD_FLAGS : EXIT_START_FAILED, config.message);

  let staticDir = rendererDist;
  if (env.GUARDLINE_WEB_ROOT) {
    staticDir = resolve(env.GUARDLINE_WEB_ROOT);
  } else {
    const build = await ensureRendererBuilt();
    if (!build.ok) stop(EXIT_START_FAILED, build.message);
  }

  let core: ConsoleCore;
  try {
    core = createConsoleCore({
      dataFile: options.dataFile,
      host: 'web',
      appVersion: appVersion(),
      facility: options.facility,
      unit: options.unit,
      telephony,
      retention: { closedIncidentDays: options.retentionDays },
      ...(options.idleLockMinutes !== null ? { idleLockMs: options.idleLockMinutes * 60_000 } : {}),
      ...meshLaunchConfig(options),
    });
  } catch (error) {
    const what = error instanceof StoreOpenError ? 'cannot open the data file' : 'cannot start the console';
    stop(EXIT_START_FAILED, `${what}: ${(error as Error).message}`);
  }

  let host: WebHost;
  try {
    host = await createWebHost({ core, staticDir, port: options.port, host: '127.0.0.1' });
  } catch (error) {
    core.close();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    stop(
      EXIT_START_FAILED,
      inUse
        ? `port ${options.port} on 127.0.0.1 is in use by another program; choose another with --port, or --port 0 for any free port`
        : `cannot start the web host on port ${options.port}: ${(error as Error).message}`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    stopping = true;
    await host.close();
    core.close();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', (s) => void shutdown(s));
  process.on('SIGTERM', (s) => void shutdown(s));

  lock.setUrl(host.url);
  await core.ready;
  const meshAddress = await Promise.race([
    core.mesh.listening(),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000)),
  ]);
  // The mesh line comes first, so whoever waits for the ready line has it too.
  if (meshAddress) process.stdout.write(`${MESH_PREFIX}${meshAddress}\n`);
  process.stdout.write(`${READY_PREFIX}${host.url}\nGuardline data file: ${options.dataFile}\n`);
  if (options.open) openBrowser(host.url);
}

if (import.meta.main) await startWeb(process.argv.slice(2));
