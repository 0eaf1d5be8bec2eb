/**
 * A throwaway PostgreSQL for tests: `initdb` into a temp dir, a server on a free
 * loopback port (socket dir in the same temp dir), trust auth for one role, and a
 * fresh database per caller. PostgreSQL refuses to run as root, so when the tests
 * run as root the server commands run as the `postgres` system user.
 *
 * Outside CI missing binaries skip the PostgreSQL suites with a loud banner; in CI
 * (`CI=true`) they fail, since `.ci/run` installs PostgreSQL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports.ts';
import { requireComponent, type Component } from './components.ts';

const ROLE = 'guardline';
const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;

/** The newest `/usr/lib/postgresql/<version>/bin` that has initdb, or GUARDLINE_PG_BIN. */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.GUARDLINE_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/**
 * True when the PostgreSQL suite should run; false when the run opted out with
 * GUARDLINE_SKIP=postgres (or `also`, e.g. `fault`); throws when PostgreSQL is missing.
 */
export function requirePostgres(suite: string, also?: Component): boolean {
  if (also && !requireComponent(also, suite, null)) return false;
  const missing = postgresBinDir() === null ? 'no /usr/lib/postgresql/*/bin/initdb (or GUARDLINE_PG_BIN)' : null;
  return requireComponent('postgres', suite, missing);
}

export interface RunningPostgres {
  port: number;
  /** Creates an empty database and returns its URL (a DATABASE_URL). */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown, then the data directory is removed. */
  stop(): Promise<void>;
  /** Stop as a crash would (immediate mode) and start again on the same port and data. */
  crashAndRestart(): Promise<void>;
}

interface AsUser {
  command: string;
  args: (bin: string, args: string[]) => string[];
}

/** Run server binaries as `postgres` when we are root (PostgreSQL refuses root). */
function asServerUser(dir: string): AsUser {
  if (process.getuid?.() !== 0) return { command: '', args: (bin, args) => [bin, ...args] };
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error('running as root but there is no `postgres` user to run PostgreSQL as');
  chownSync(dir, uid, gid);
  return { command: 'runuser', args: (bin, args) => ['-u', 'postgres', '--', bin, ...args] };
}

function run(asUser: AsUser, bin: string, args: string[]): { status: number | null; output: string } {
  const argv = asUser.args(bin, args);
  const command = asUser.command || argv.shift()!;
  const r = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export async function startPostgres(): Promise<RunningPostgres> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('PostgreSQL binaries not found');
  const dir = mkdtempSync(join(tmpdir(), 'guardline-pg-'));
  const dataDir = join(dir, 'data');
  const asUser = asServerUser(dir);

  const init = run(asUser, join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    ROLE,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${init.output}`);
  }

  const port = await freePort();
  const serverArgv = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-k',
    dir,
    // A throwaway cluster: durability settings only slow the tests down.
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ];
  let log = '';
  let running = false;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const serverArgs = asUser.args(join(binDir, 'postgres'), serverArgv);
    const server: ChildProcess = spawn(asUser.command || serverArgs.shift()!, serverArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    running = true;
    exited = new Promise<void>((resolve) =>
      server.once('exit', () => {
        running = false;
        resolve();
      }),
    );
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!running) throw new Error(`postgres exited before it was ready:\n${log}`);
      const ready = spawnSync(join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], {
        timeout: 5000,
      });
      if (ready.status === 0) return;
      if (Date.now() > deadline) throw new Error(`postgres not ready after ${READY_TIMEOUT_MS} ms:\n${log}`);
      await new Promise((r) => setTimeout(r, READY_POLL_MS));
    }
  };
  const halt = async (mode: 'fast' | 'immediate') => {
    if (!running) return;
    run(asUser, join(binDir, 'pg_ctl'), ['-D', dataDir, 'stop', '-m', mode, '-w', '-t', '30']);
    await exited;
  };
  const stop = async () => {
    await halt('fast');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }

  const url = (database: string) => `postgres://${ROLE}@127.0.0.1:${port}/${database}`;
  return {
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    async crashAndRestart() {
      // `immediate` = what a crash looks like to clients: every connection is cut at once.
      await halt('immediate');
      await launch();
    },
  };
}
