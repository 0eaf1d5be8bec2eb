/**
 * Native desktop notifications, sent from the main process (the renderer has no
 * notification permission). Alarms (issue 6) and line outages (issue 4) use this.
 *
 * Electron holds a shown Notification only weakly: once V8 collects the JS object,
 * clicking a toast still on screen (an alarm stays until dismissed) runs no handler
 * (https://github.com/electron/electron/issues/16922). Every shown notification is
 * therefore kept here until it is clicked, closed or fails. A notification with a `tag`
 * can be dismissed by the app, e.g. an alarm's toast once the alarm is acknowledged
 * (alarm toasts never time out, so a stale one would otherwise stay on screen).
 */
import { Notification } from 'electron';

export interface NotifyOptions {
  /** Keep the OS sound off, e.g. when the alarm plays its own. */
  silent?: boolean;
  /** Stay on screen until dismissed, where the platform supports it. */
  urgent?: boolean;
  onClick?: () => void;
  /** Groups notifications the app may dismiss together (`dismissNotifications`). */
  tag?: string;
}

const shown = new Map<Notification, string | undefined>();

/** Notifications on screen that still hold their handlers (for tests and diagnostics). */
export function heldNotificationCount(): number {
  return shown.size;
}

/** Shows a notification; false when this desktop cannot show one (the caller may fall back). */
export function notify(title: string, body: string, options: NotifyOptions = {}): boolean {
  if (!Notification.isSupported()) return false;
  const notification = new Notification({
    title,
    body,
    silent: options.silent ?? false,
    ...(options.urgent ? { urgency: 'critical' as const, timeoutType: 'never' as const } : {}),
  });
  const release = () => shown.delete(notification);
  const onClick = options.onClick;
  notification.on('click', () => {
    release();
    onClick?.();
  });
  notification.on('close', release);
  notification.on('failed', release);
  shown.set(notification, options.tag);
  notification.show();
  return true;
}

/** Dismisses every notification still on screen with this tag; returns how many. */
export function dismissNotifications(tag: string): number {
  let dismissed = 0;
  for (const [notification, itsTag] of [...shown]) {
    if (itsTag !== tag) continue;
    shown.delete(notification);
    notification.close();
    dismissed++;
  }
  return dismissed;
}
