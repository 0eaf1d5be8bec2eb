/**
 * The browser tab's title flashes while an alarm stands, so a console in a background
 * tab still draws the eye. The title alternates between the alarm text and whatever
 * title the page had; the phone status feature also writes the title, so any title
 * that is not ours is taken as the new resting title rather than overwritten for good.
 */
export interface TitleFlash {
  /** The title to show at this tick, given what the document shows now. */
  tick(currentTitle: string): string;
  /** The title to leave behind when the alarm ends. */
  restingTitle(currentTitle: string): string;
}

export function createTitleFlash(alarmTitle: string): TitleFlash {
  let resting: string | null = null;
  let showingAlarm = false;
  const learn = (current: string) => {
    if (current !== alarmTitle) resting = current;
  };
  return {
    tick(current) {
      learn(current);
      showingAlarm = !showingAlarm;
      return showingAlarm || resting === null ? alarmTitle : resting;
    },
    restingTitle(current) {
      learn(current);
      return resting ?? current;
    },
  };
}

/** "⚠ LARM – Hot mot personal i matsalen (+1)": the first alarm's title, and how many more. */
export function alarmTitleText(prefix: string, titles: readonly string[]): string {
  const [first, ...rest] = titles;
  if (first === undefined) return prefix;
  return rest.length > 0 ? `${prefix} – ${first} (+${rest.length})` : `${prefix} – ${first}`;
}
