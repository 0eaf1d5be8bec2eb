/**
 * The words of alarms outside the window (native notification, tray tooltip). Like
 * shell-text.ts they live in the main process; Swedish by default.
 */
import type { IncidentSeverity } from '../../src-shared/incident.ts';

export interface AlarmSignalText {
  title(incidentTitle: string): string;
  body(alarm: { severity: IncidentSeverity; unit: string; level: number }): string;
  /** Tray tooltip while alarms stand. */
  tray(count: number): string;
}

const SEVERITY_SV: Record<IncidentSeverity, string> = { low: 'låg', medium: 'medel', high: 'hög', critical: 'kritisk' };

const sv: AlarmSignalText = {
  title: (t) => `LARM: ${t}`,
  body: (a) => `Allvarlighet ${SEVERITY_SV[a.severity]} · ${a.unit} · nivå ${a.level}. Kvittera i Guardline.`,
  tray: (n) => (n === 1 ? 'LARM – okvitterat' : `LARM – ${n} okvitterade`),
};

const en: AlarmSignalText = {
  title: (t) => `ALARM: ${t}`,
  body: (a) => `Severity ${a.severity} · ${a.unit} · level ${a.level}. Acknowledge in Guardline.`,
  tray: (n) => (n === 1 ? 'ALARM – unacknowledged' : `ALARM – ${n} unacknowledged`),
};

export function alarmSignalText(locale: string): AlarmSignalText {
  return locale.toLowerCase().startsWith('en') ? en : sv;
}
