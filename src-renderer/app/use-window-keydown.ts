/**
 * A keyboard shortcut on the whole window that always acts on what is on screen.
 *
 * The listener is registered once and calls the handler of the latest render, which a
 * layout effect stores: that runs in the same task as React's commit, before the browser
 * paints, so no keypress can fall between a new screen and its handler. A listener
 * re-registered in a plain effect runs after paint, and a keypress in that gap met the
 * previous render's handler: CI once saw Ctrl+Shift+K pressed as a new alarm appeared
 * answered with "no alarm here that you can acknowledge". Alarms, sign-in and line states
 * arrive from the core, not from a keypress, so React does not flush those effects early.
 *
 * `null` turns the shortcut off for this render.
 */
import { useLayoutEffect, useRef } from 'react';

export type KeydownHandler = (event: KeyboardEvent) => void;

export function useWindowKeydown(onKey: KeydownHandler | null, options: { capture?: boolean } = {}): void {
  const latest = useRef(onKey);
  useLayoutEffect(() => {
    latest.current = onKey;
  });
  const capture = options.capture ?? false;
  useLayoutEffect(() => {
    const listener = (event: KeyboardEvent) => latest.current?.(event);
    window.addEventListener('keydown', listener, { capture });
    return () => window.removeEventListener('keydown', listener, { capture });
  }, [capture]);
}
