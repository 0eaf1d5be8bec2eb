/**
 * `npm start`: the Electron console when Electron is installed, otherwise the browser
 * host with a one-line notice. Electron's binary cannot be downloaded on every machine
 * (not at all on the build machines), and a console that does not start is worse than
 * one in a browser tab.
 *
 * Before Electron starts, the same first-start checks as the browser host's run here (data
 * directory, facility config), so a broken config stops `npm start` with one line whichever
 * host it picks. The browser host runs them itself (and holds the per-data-directory lock).
 */
import { spawn } from 'node:child_process';
import { chooseHost, probeElectron } from './electron-probe.ts';
import { packageBin, repoRoot, runNodeBin } from './node-bin.ts';
import { checkConfigAtStart } from '../src-main/core/config/config-at-start.ts';
import { telephonyLaunchOptions } from '../src-main/core/config/config-location.ts';
import { DataDirError, prepareDataDir } from '../src-main/core/data-dir.ts';
import { EXIT_BAD_FLAGS, EXIT_START_FAILED, readLaunchOptions, startWeb } from './start-web.ts';

function fail(code: number, message: string): never {
  process.stderr.write(`Guardline: ${message}\n`);
  process.exit(code);
}

/** What would stop the console anyway, said before Electron is built and started. */
function checkBeforeElectron(argv: readonly string[]): void {
  const options = readLaunchOptions(argv, process.env);
  if ('error' in options) return; // Electron adds flags of its own; its main process reports bad ones
  try {
    prepareDataDir(options.dataDir);
  } catch (error) {
    if (error instanceof DataDirError) fail(EXIT_START_FAILED, error.message);
    throw error;
  }
  const config = checkConfigAtStart(options.configFile, telephonyLaunchOptions(options).configFile);
  if (!config.ok) fail(config.kind === 'flag' ? EXIT_BAD_FLAGS : EXIT_START_FAILED, config.message);
}

async function startElectron(binary: string, argv: readonly string[]): Promise<void> {
  const electronVite = packageBin('electron-vite/bin/electron-vite.js');
  if (!electronVite) {
    process.stderr.write('Guardline: electron-vite is not installed (run npm ci)\n');
    process.exit(1);
  }
  const built = await runNodeBin(electronVite, ['build']);
  if (built !== 0) {
    process.stderr.write(`Guardline: electron-vite build failed (exit code ${built})\n`);
    process.exit(1);
  }
  const child = spawn(binary, ['.', ...argv], { cwd: repoRoot, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.once('error', (error) => {
    process.stderr.write(`Guardline: cannot start Electron: ${error.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

const argv = process.argv.slice(2);
const choice = chooseHost(await probeElectron());
if (choice.host === 'electron') {
  checkBeforeElectron(argv);
  await startElectron(choice.binary, argv);
} else {
  process.stderr.write(`${choice.notice}\n`);
  await startWeb(argv);
}
