/**
 * `npm start`: the Electron console when Electron is installed, otherwise the browser
 * host with a one-line notice. Electron's binary cannot be downloaded on every machine
 * (not at all on the build machines), and a console that does not start is worse than
 * one in a browser tab.
 */
import { spawn } from 'node:child_process';
import { chooseHost, probeElectron } from './electron-probe.ts';
import { packageBin, repoRoot, runNodeBin } from './node-bin.ts';
import { startWeb } from './start-web.ts';

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
  await startElectron(choice.binary, argv);
} else {
  process.stderr.write(`${choice.notice}\n`);
  await startWeb(argv);
}
