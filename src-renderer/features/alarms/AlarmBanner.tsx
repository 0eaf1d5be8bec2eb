/**
 * The alarm banner: full width at the top of every screen (the lock screen too), in
 * words and icons as well as colour, for as long as any escalation this console shows
 * stands. It cannot be closed; it goes when a supervisor acknowledges. Ctrl+Shift+K
 * acknowledges the first alarm the signed-in supervisor may acknowledge, from anywhere;
 * when there is none for this viewer (a guard, the lock screen, an alarm already
 * acknowledged by them) the banner says so instead of ignoring the keypress.
 * While it shows, the sound loops and the tab title flashes.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext.tsx';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';
import { AlarmRow } from './AlarmRow.tsx';
import { AlarmSound } from './AlarmSound.tsx';
import { ackErrorKey, orderAlarms, shortcutTarget, shouldSound, type Viewer } from './model/alarm-view.ts';
import { alarmTitleText } from './model/title-flash.ts';
import { useAlarms } from './use-alarms.ts';
import { useNow } from './use-now.ts';
import { useStaffNames } from './use-staff-names.ts';
import { useTitleFlash } from './use-title-flash.ts';
import './alarms.css';

export interface AlarmBannerProps {
  /** Who is signed in here; null on the sign-in and lock screens. */
  viewer: Viewer | null;
  onOpenIncident?: (incidentId: string) => void;
}

function isAckShortcut(event: KeyboardEvent): boolean {
  return event.ctrlKey && event.shiftKey && !event.altKey && (event.code === 'KeyK' || event.key.toLowerCase() === 'k');
}

export function AlarmBanner(props: AlarmBannerProps) {
  const { viewer, onOpenIncident } = props;
  const { t } = useTranslation();
  const api = useApi();
  const alarms = orderAlarms(useAlarms());
  const now = useNow();
  const nameOf = useStaffNames(viewer?.staffNumber ?? null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  /** How many times the shortcut found nothing this viewer may acknowledge (0: never / not since the last ack). */
  const [refusedShortcuts, setRefusedShortcuts] = useState(0);

  useTitleFlash(
    alarms.length > 0
      ? alarmTitleText(
          t('alarm.titlePrefix'),
          alarms.map((a) => a.title),
        )
      : null,
  );

  const acknowledge = useCallback(
    async (escalationId: string) => {
      setBusy((s) => new Set(s).add(escalationId));
      setErrors((m) => {
        const next = new Map(m);
        next.delete(escalationId);
        return next;
      });
      const result = await api.call('escalation.acknowledge', { escalationId });
      setBusy((s) => {
        const next = new Set(s);
        next.delete(escalationId);
        return next;
      });
      if (!result.ok) setErrors((m) => new Map(m).set(escalationId, ackErrorKey(result.error)));
    },
    [api],
  );

  const target = shortcutTarget(alarms, viewer);
  const targetId = target?.escalationId ?? null;
  // Capture: the shortcut works whatever has focus, a text field included.
  useWindowKeydown(
    (event) => {
      if (!isAckShortcut(event)) return;
      event.preventDefault();
      if (targetId) {
        setRefusedShortcuts(0);
        if (!busy.has(targetId)) void acknowledge(targetId);
      } else setRefusedShortcuts((n) => n + 1);
    },
    { capture: true },
  );

  if (alarms.length === 0) return null;
  return (
    <section className="alarm-banner" role="alert" aria-label={t('alarm.region')} data-testid="alarm-banner">
      {shouldSound(alarms) && <AlarmSound />}
      <ul className="alarm-list">
        {alarms.map((alarm) => (
          <AlarmRow
            key={alarm.escalationId}
            alarm={alarm}
            viewer={viewer}
            now={now}
            shortcut={alarm.escalationId === targetId}
            nameOf={nameOf}
            busy={busy.has(alarm.escalationId)}
            errorKey={errors.get(alarm.escalationId) ?? null}
            onAcknowledge={(id) => void acknowledge(id)}
            {...(onOpenIncident ? { onOpenIncident } : {})}
          />
        ))}
      </ul>
      {refusedShortcuts > 0 && (
        <p
          className="alarm-shortcut-note"
          role="status"
          data-testid="alarm-shortcut-refused"
          data-count={refusedShortcuts}
        >
          {t('alarm.shortcutNothingToAck')}
        </p>
      )}
    </section>
  );
}
