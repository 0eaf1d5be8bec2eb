/**
 * Best-effort "open this URL in the user's browser". A machine without a desktop (CI, a
 * server over SSH) simply has no opener; the URL is printed anyway, so nothing fails.
 */
import { spawn } from 'node:child_process';

export function browserOpener(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd built-in; the empty string is the window title it would otherwise take from the URL.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { command: 'xdg-open', args: [url] };
}

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const { command, args } = browserOpener(platform, url);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.once('error', () => {});
    child.unref();
  } catch {
    // No opener: the printed URL is the way in.
  }
}
