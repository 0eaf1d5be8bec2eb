/**
 * Phone status outside the window, for a console minimised or behind other windows:
 * the tray icon and tooltip follow the worst critical-line state, and a native
 * notification says when a critical line goes down or comes back, and when the
 * reserve procedure starts or ends. Start-up (lines going from never-measured to UP)
 * and config reloads stay silent: only real transitions notify.
 */
import { lineSignal, signalLines, type SignalLine } from '../../src-shared/line-signal.ts';
import type { LineBoard, LineState } from '../../src-shared/telephony.ts';
import type { PushListener } from '../core/console-core.ts';
import type { NotifyOptions } from './notifications.ts';
import type { LineStatusText } from './line-status-text.ts';
import type { TrayStatus } from './tray.ts';

export interface LineStatusSources {
  subscribe(listener: PushListener): () => void;
  telephony: { board(): LineBoard };
}

export interface LineStatusDeps {
  core: LineStatusSources;
  tray: { setStatus(status: TrayStatus): void };
  notify(title: string, body: string, options?: NotifyOptions): boolean;
  text: LineStatusText;
  /** Clicking a notification brings the console to the front. */
  onShow?: () => void;
}

interface Line extends SignalLine {
  name: string;
}

export function trayStatusFor(lines: readonly Line[], fallbackActive: boolean, text: LineStatusText): TrayStatus {
  const signal = lineSignal(lines, fallbackActive);
  if (lines.length === 0) return { level: 'unknown', text: text.noLines };
  if (signal.worst === 'UP' || signal.worst === null) {
    return fallbackActive ? { level: 'down', text: text.fallback } : { level: 'ok', text: text.allUp(lines.length) };
  }
  const worst = signal.worst;
  const names = signalLines(lines)
    .filter((l) => l.state === worst)
    .map((l) => l.name);
  return { level: signal.level, text: text.some(worst, names) };
}

export function watchLineStatus(deps: LineStatusDeps): () => void {
  const { text } = deps;
  let lines = new Map<string, Line>();
  let fallback = false;
  let shown: TrayStatus | null = null;
  /** Until telephony has loaded a config the tray keeps saying "status okänd". */
  let loaded = false;

  const updateTray = () => {
    if (!loaded) return;
    const next = trayStatusFor([...lines.values()], fallback, text);
    if (shown && shown.level === next.level && shown.text === next.text) return;
    shown = next;
    deps.tray.setStatus(next);
  };

  const seed = () => {
    const board = deps.core.telephony.board();
    lines = new Map(
      board.lines.map((l) => [l.id, { name: l.name, state: l.state, criticality: l.criticality }] as const),
    );
    fallback = board.fallbackActive;
    loaded = board.facility !== null;
    updateTray();
  };

  const notify = (title: string, body: string, urgent: boolean) =>
    deps.notify(title, body, { urgent, ...(deps.onShow ? { onClick: deps.onShow } : {}) });

  const onLinesChanged = (
    changed: readonly { id: string; name: string; state: LineState; criticality: Line['criticality'] }[],
    fallbackNow: boolean,
  ) => {
    const before = new Map(lines);
    for (const l of changed) lines.set(l.id, { name: l.name, state: l.state, criticality: l.criticality });
    loaded = true;
    // Which lines count (critical ones) is judged on the whole board, as the signal is.
    const counted = new Set(signalLines([...lines.entries()].map(([id, l]) => ({ ...l, id }))).map((l) => l.id));
    const wentDown: string[] = [];
    const cameBack: string[] = [];
    for (const l of changed) {
      const was = before.get(l.id)?.state;
      if (!counted.has(l.id) || was === undefined || was === l.state) continue;
      if (l.state === 'DOWN') wentDown.push(l.name);
      else if (was === 'DOWN' && l.state === 'UP') cameBack.push(l.name);
    }
    const started = fallbackNow && !fallback;
    const ended = !fallbackNow && fallback;
    fallback = fallbackNow;
    updateTray();
    if (wentDown.length > 0) notify(text.wentDown(wentDown), fallbackNow ? text.fallbackBody : '', true);
    else if (started) notify(text.fallbackStarted, text.fallbackBody, true);
    if (cameBack.length > 0) notify(text.cameBack(cameBack), ended ? text.fallbackEnded : '', false);
    else if (ended) notify(text.fallbackEnded, '', false);
  };

  seed();
  return deps.core.subscribe((name, payload) => {
    if (name === 'lines.changed') {
      const p = payload as { lines: LineBoard['lines']; fallbackActive: boolean };
      onLinesChanged(p.lines, p.fallbackActive);
    } else if (name === 'config.changed') {
      seed();
    }
  });
}
