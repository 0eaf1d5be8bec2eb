/**
 * Native desktop notifications, sent from the main process (the renderer has no
 * notification permission). Alarms (issue 6) and line outages (issue 4) use this.
 */
import { Notification } from 'electron';

export interface NotifyOptions {
  /** Keep the OS sound off, e.g. when the alarm plays its own. */
  silent?: boolean;
  /** Stay on screen until dismissed, where the platform supports it. */
  urgent?: boolean;
  onClick?: () => void;
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
  const onClick = options.onClick;
  if (onClick) notification.on('click', () => onClick());
  notification.show();
  return true;
}
