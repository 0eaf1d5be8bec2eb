/**
 * Binds the console API to Electron IPC: one invoke channel for calls, one event
 * channel for pushes. Every call is checked before it reaches the core: it must
 * come from the console window's main frame showing the app's own page, and carry
 * a well-formed `{method, input}`. The core then validates the input itself.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { apiError, fromZodError } from '../../src-shared/errors.ts';
import { CallFrame, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallResult } from '../../src-shared/transport.ts';
import type { CallContext } from '../core/app.ts';
import type { ConsoleCore } from '../core/console-core.ts';
import { completeShellAction } from './print-report.ts';

/** What the preload sends: the call frame without the id (IPC pairs replies itself). */
export const InvokePayload = CallFrame.pick({ method: true, input: true });

export interface IpcLog {
  warn(message: string): void;
}

export interface ConsoleIpcOptions {
  core: Pick<ConsoleCore, 'dispatch' | 'subscribe'>;
  /** The console window, or null while there is none (before start, or after it closed). */
  getWindow: () => BrowserWindow | null;
  isTrustedUrl: (url: string) => boolean;
  log?: IpcLog;
}

const CALL_CONTEXT: CallContext = { actor: 'operator', origin: 'electron' };

const consoleLog: IpcLog = { warn: (message) => console.warn(`[guardline] ${message}`) };

function liveContents(getWindow: () => BrowserWindow | null): WebContents | null {
  const window = getWindow();
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return null;
  return window.webContents;
}

/** Why a call must be refused, or null when it comes from the console page itself. */
function senderProblem(event: IpcMainInvokeEvent, options: ConsoleIpcOptions): string | null {
  const contents = liveContents(options.getWindow);
  if (!contents || event.sender !== contents) return 'not the console window';
  const frame = event.senderFrame;
  const main = contents.mainFrame;
  if (!frame || frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'not the main frame';
  }
  if (!options.isTrustedUrl(frame.url)) return `untrusted page ${frame.url.slice(0, 200)}`;
  return null;
}

/** Registers the invoke handler and forwards core pushes; returns the unbinding. */
export function bindConsoleIpc(options: ConsoleIpcOptions): () => void {
  const log = options.log ?? consoleLog;

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, payload: unknown): Promise<CallResult> => {
    const problem = senderProblem(event, options);
    if (problem) {
      log.warn(`refused IPC call: ${problem}`);
      return { ok: false, error: apiError('forbidden', `IPC refused: ${problem}`) };
    }
    const parsed = InvokePayload.safeParse(payload);
    if (!parsed.success) return { ok: false, error: fromZodError(parsed.error) };
    const result = await options.core.dispatch(parsed.data.method, parsed.data.input, CALL_CONTEXT);
    return completeShellAction(parsed.data.method, result, event.sender);
  });

  const unsubscribe = options.core.subscribe((name, payload) => {
    liveContents(options.getWindow)?.send(IPC_EVENT_CHANNEL, { name, payload });
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
