/**
 * Quitting from the tray or the menu. Quitting stops line probes, escalation timers and
 * alarms on this workstation, so staff confirm first and the core decides: a signed-in
 * supervisor or admin, no alarm standing (`console.quit`, which logs the approval).
 * A refusal is explained in a dialog and the console comes to the front, so the person
 * can sign in or acknowledge there.
 */
import type { Dispatch } from '../core/app.ts';
import type { ShellText } from './shell-text.ts';

export interface QuitRequestDeps {
  core: { dispatch: Dispatch };
  text: ShellText;
  /** Asks "really quit?"; true to go on. */
  confirm(message: string, detail: string): Promise<boolean>;
  /** Explains why the console keeps running. */
  refuse(message: string, detail: string): Promise<void>;
  /** Brings the console window to the front. */
  show(): void;
  /** Quits for real (the caller marks the quit as approved first). */
  quit(): void;
}

export type QuitOutcome = 'cancelled' | 'refused' | 'quit';

export async function requestQuit(deps: QuitRequestDeps): Promise<QuitOutcome> {
  const { text } = deps;
  if (!(await deps.confirm(text.quitConfirm, text.quitConfirmDetail))) return 'cancelled';
  const result = await deps.core.dispatch('console.quit', {}, { origin: 'electron' });
  if (result.ok) {
    deps.quit();
    return 'quit';
  }
  const reason =
    result.error.code === 'conflict'
      ? text.quitRefusedAlarm
      : result.error.code === 'unauthenticated' || result.error.code === 'forbidden'
        ? text.quitNeedsSupervisor
        : text.quitFailed;
  deps.show();
  await deps.refuse(reason, result.error.message);
  return 'refused';
}
