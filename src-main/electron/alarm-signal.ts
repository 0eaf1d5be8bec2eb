/**
 * Alarms outside the window, for a console minimised or behind other windows: a native
 * notification for each new alarm (and again when it climbs a level), and, while any
 * alarm stands, the tray icon flashing between the alarm and the phone status and the
 * window's taskbar entry asking for attention.
 *
 * Sound (issue 14): the page plays the alarm. A new alarm (or one climbing a level) also
 * brings the window up without taking the keyboard (`attention(true)`: shown inactive,
 * restored, kept on top while an alarm stands), so the page is on screen and sounding
 * even if the window was hidden in the tray. The toast stays silent only when the window
 * was already visible; otherwise it plays the OS sound too, in case the page cannot.
 *
 * The tray also shows phone status (line-status-signal.ts); whatever that sets while
 * we flash becomes the status we return to, so neither watcher loses the other's state.
 */
import type { Alarm } from '../../src-shared/escalation.ts';
import type { Dispatch } from '../core/app.ts';
import type { PushListener } from '../core/console-core.ts';
import type { AlarmSignalText } from './alarm-signal-text.ts';
import type { NotifyOptions } from './notifications.ts';
import type { TrayStatus } from './tray.ts';

export const TRAY_FLASH_MS = 700;

const alarmTag = (escalationId: string) => `alarm:${escalationId}`;

export interface AlarmSignalDeps {
  core: { subscribe(listener: PushListener): () => void; dispatch: Dispatch };
  tray: { setStatus(status: TrayStatus): void; readonly status: TrayStatus };
  notify(title: string, body: string, options?: NotifyOptions): boolean;
  /** Dismisses the toasts of an alarm that no longer stands (notifications.ts). */
  dismiss?(tag: string): void;
  /** The window's taskbar entry asks for attention (BrowserWindow.flashFrame). */
  flashWindow?(on: boolean): void;
  /** Whether the console window is on screen (visible, not minimised); absent: never. */
  windowVisible?(): boolean;
  /** true: bring the window up and keep it on top; false: the last alarm is gone. */
  attention?(on: boolean): void;
  text: AlarmSignalText;
  /** Clicking a notification brings the console to the front. */
  onShow?: () => void;
  logError?: (message: string, detail?: unknown) => void;
}

export function watchAlarms(deps: AlarmSignalDeps): () => void {
  const { tray, text } = deps;
  /** Highest level notified per escalation still standing. */
  let notifiedLevel = new Map<string, number>();
  let flashTimer: ReturnType<typeof setInterval> | null = null;
  let alarmStatus: TrayStatus | null = null;
  /** The alarm status last put on the tray: still ours after the count (and so the text) changed. */
  let shownAlarm: TrayStatus | null = null;
  let resting: TrayStatus | null = null;
  let showingAlarm = false;
  let pushes = 0;
  let stopped = false;

  const same = (a: TrayStatus | null, b: TrayStatus) => a !== null && a.level === b.level && a.text === b.text;
  const isOurs = (s: TrayStatus) => same(alarmStatus, s) || same(shownAlarm, s);

  const tick = () => {
    if (!alarmStatus) return;
    if (!isOurs(tray.status)) resting = tray.status;
    showingAlarm = !showingAlarm;
    if (showingAlarm || !resting) {
      shownAlarm = alarmStatus;
      tray.setStatus(alarmStatus);
    } else tray.setStatus(resting);
  };

  const startFlashing = () => {
    if (flashTimer !== null) return;
    deps.flashWindow?.(true);
    tick();
    flashTimer = setInterval(tick, TRAY_FLASH_MS);
  };

  const stopFlashing = () => {
    if (flashTimer === null) return;
    clearInterval(flashTimer);
    flashTimer = null;
    if (!isOurs(tray.status)) resting = tray.status;
    if (resting) tray.setStatus(resting);
    alarmStatus = null;
    shownAlarm = null;
    resting = null;
    showingAlarm = false;
    deps.flashWindow?.(false);
    deps.attention?.(false);
  };

  const apply = (alarms: readonly Alarm[]) => {
    const next = new Map<string, number>();
    let raised = false;
    for (const alarm of alarms) {
      const before = notifiedLevel.get(alarm.escalationId);
      if (before === undefined || alarm.level > before) {
        deps.notify(text.title(alarm.title), text.body(alarm), {
          urgent: true,
          silent: deps.windowVisible?.() ?? false,
          tag: alarmTag(alarm.escalationId),
          ...(deps.onShow ? { onClick: deps.onShow } : {}),
        });
        raised = true;
      }
      next.set(alarm.escalationId, Math.max(before ?? 0, alarm.level));
    }
    for (const escalationId of notifiedLevel.keys()) {
      if (!next.has(escalationId)) deps.dismiss?.(alarmTag(escalationId));
    }
    notifiedLevel = next;
    if (raised) deps.attention?.(true);
    if (alarms.length === 0) return stopFlashing();
    alarmStatus = { level: 'down', text: text.tray(alarms.length) };
    startFlashing();
  };

  const unsubscribe = deps.core.subscribe((name, payload) => {
    if (name !== 'alarm.changed') return;
    pushes += 1;
    apply((payload as { alarms: Alarm[] }).alarms);
  });

  // Alarms standing at start-up (a restart mid-escalation) must reach the desktop too.
  const seenPushes = pushes;
  void deps.core.dispatch('alarms.list', {}, { origin: 'system' }).then((result) => {
    if (stopped || pushes !== seenPushes) return;
    if (result.ok) apply((result.value as { alarms: Alarm[] }).alarms);
    else (deps.logError ?? console.error)('alarms: cannot list standing alarms', result.error);
  });

  return () => {
    stopped = true;
    unsubscribe();
    stopFlashing();
  };
}
