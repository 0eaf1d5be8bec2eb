/**
 * Is Electron usable here? The `electron` npm package resolves to the binary's path, or
 * throws "Electron failed to install correctly" when the binary is missing (after trying
 * a download, which may hang on a machine without network). So the probe runs in a child
 * process under a time limit, and the decision from its result is a pure function.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoRoot } from './node-bin.ts';

export type ProbeResult =
  { kind: 'found'; binary: string } | { kind: 'failed'; detail: string } | { kind: 'timed-out'; afterMs: number };

export type HostChoice = { host: 'electron'; binary: string } | { host: 'web'; notice: string };

export const PROBE_TIMEOUT_MS = 8_000;
const MARKER = 'GUARDLINE_ELECTRON_BINARY=';
// The package prints download progress on stdout, so the path comes on a marked line of its own.
const PROBE_SOURCE = `process.stdout.write('\\n${MARKER}' + require('electron') + '\\n')`;

export function chooseHost(probe: ProbeResult, binaryExists: (path: string) => boolean = existsSync): HostChoice {
  const fallback = 'starting the browser host instead.';
  if (probe.kind === 'found' && binaryExists(probe.binary)) return { host: 'electron', binary: probe.binary };
  const why =
    probe.kind === 'found'
      ? `binary missing at ${probe.binary}`
      : probe.kind === 'timed-out'
        ? `no answer within ${probe.afterMs} ms`
        : 'binary not installed';
  return { host: 'web', notice: `Electron is not available on this machine (${why}); ${fallback}` };
}

export function probeElectron(timeoutMs: number = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE_SOURCE], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ kind: 'timed-out', afterMs: timeoutMs });
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'failed', detail: error.message });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
      if (code === 0 && line) resolve({ kind: 'found', binary: line.slice(MARKER.length).trim() });
      else resolve({ kind: 'failed', detail: lastLine(stderr) || `probe exited with code ${code}` });
    });
  });
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.includes('Error'))
      .at(-1) ?? ''
  ).trim();
}
