/**
 * Where the console keeps its data and who it is, from command-line flags and the
 * environment. Shared by the Electron shell and the browser host so both open the
 * same store. The default data dir matches Electron's `app.getPath('userData')`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface LaunchOptions {
  dataDir: string;
  dataFile: string;
  /** Facility config file (issue 4); null when none was given and none exists yet. */
  configFile: string | null;
  facility: string;
  unit: string;
  /** Browser host port; 0 picks a free one. */
  port: number;
  /** Open a browser window when the browser host starts. */
  open: boolean;
  /** Closed incidents untouched this many days leave the list and search; null: kept. */
  retentionDays: number | null;
  /** Lock the console after this long without activity; null keeps the core's default (10 min). */
  idleLockMinutes: number | null;
  /** Facility mesh listener `host:port` (issue 12); overrides the facility config's `mesh.listen`. */
  meshListen: string | null;
  /**
   * Where peers' large frames are parsed and prepared for the gate (core/mesh/frame-preparer.ts):
   * `worker` (default) or `inline` on the console's thread, as before issue 12g — for a machine
   * where the extra thread does not pay, and for the bench to compare the two.
   */
  meshPrepare: 'worker' | 'inline';
}

export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Guardline');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Guardline');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Guardline');
}

export function parseLaunchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      facility: { type: 'string' },
      unit: { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
      'retention-days': { type: 'string' },
      'idle-lock-minutes': { type: 'string' },
      'mesh-listen': { type: 'string' },
      'mesh-prepare': { type: 'string' },
    },
  });
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const dataDir = resolve(str(values['data-dir']) ?? env.GUARDLINE_DATA_DIR ?? defaultDataDir(env));
  const portText = str(values.port) ?? env.GUARDLINE_PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`--port: expected a port number 0-65535, got ${JSON.stringify(portText)}`);
  }
  const retentionText = str(values['retention-days']) ?? env.GUARDLINE_RETENTION_DAYS;
  const retentionDays = retentionText === undefined ? null : Number(retentionText);
  if (retentionDays !== null && (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36_500)) {
    throw new RangeError(`--retention-days: expected whole days 1-36500, got ${JSON.stringify(retentionText)}`);
  }
  const idleText = str(values['idle-lock-minutes']) ?? env.GUARDLINE_IDLE_LOCK_MINUTES;
  const idleLockMinutes = idleText === undefined ? null : Number(idleText);
  if (
    idleLockMinutes !== null &&
    (!Number.isInteger(idleLockMinutes) || idleLockMinutes < 1 || idleLockMinutes > 720)
  ) {
    throw new RangeError(`--idle-lock-minutes: expected whole minutes 1-720, got ${JSON.stringify(idleText)}`);
  }
  const configFile = str(values.config) ?? env.GUARDLINE_CONFIG ?? null;
  const meshListen = str(values['mesh-listen']) ?? env.GUARDLINE_MESH_LISTEN ?? null;
  if (meshListen !== null && !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(meshListen)) {
    throw new RangeError(`--mesh-listen: expected host:port of a LAN interface, got ${JSON.stringify(meshListen)}`);
  }
  const meshPrepare = str(values['mesh-prepare']) ?? env.GUARDLINE_MESH_PREPARE ?? 'worker';
  if (meshPrepare !== 'worker' && meshPrepare !== 'inline') {
    throw new RangeError(`--mesh-prepare: expected worker or inline, got ${JSON.stringify(meshPrepare)}`);
  }
  return {
    dataDir,
    dataFile: join(dataDir, 'guardline.sqlite'),
    configFile: configFile ? resolve(configFile) : null,
    facility: str(values.facility) ?? env.GUARDLINE_FACILITY ?? 'Demoanläggningen',
    unit: str(values.unit) ?? env.GUARDLINE_UNIT ?? 'Avdelning A',
    port,
    open: values['no-open'] !== true && env.GUARDLINE_NO_OPEN !== '1' && env.CI !== 'true',
    retentionDays,
    idleLockMinutes,
    meshListen,
    meshPrepare,
  };
}

/** The core's `mesh` option from the launch options, the same for both hosts (spread into the core's config). */
export function meshLaunchConfig(options: Pick<LaunchOptions, 'meshListen' | 'meshPrepare'>): {
  mesh?: { listen?: string; limits?: { offThreadBytes: number } };
} {
  const mesh = {
    ...(options.meshListen !== null ? { listen: options.meshListen } : {}),
    ...(options.meshPrepare === 'inline' ? { limits: { offThreadBytes: Number.POSITIVE_INFINITY } } : {}),
  };
  return Object.keys(mesh).length > 0 ? { mesh } : {};
}
