/**
 * The few words the native shell shows itself (menu, tray, start-up failure). The
 * renderer translates everything else with i18next; these live here because they
 * appear before, or outside, any page. Swedish is the default, as in the renderer.
 */
export interface ShellText {
  fileMenu: string;
  editMenu: string;
  viewMenu: string;
  helpMenu: string;
  quit: string;
  show: string;
  about: string;
  trayTitle: (statusText: string) => string;
  statusUnknown: string;
  storeFailedTitle: string;
  storeFailedIntro: string;
}

const sv: ShellText = {
  fileMenu: 'Arkiv',
  editMenu: 'Redigera',
  viewMenu: 'Visa',
  helpMenu: 'Hjälp',
  quit: 'Avsluta',
  show: 'Visa',
  about: 'Om Guardline',
  trayTitle: (statusText) => `Guardline – ${statusText}`,
  statusUnknown: 'status okänd',
  storeFailedTitle: 'Guardline kan inte starta',
  storeFailedIntro: 'Den lokala datafilen kunde inte öppnas. Inga data har ändrats.',
};

const en: ShellText = {
  fileMenu: 'File',
  editMenu: 'Edit',
  viewMenu: 'View',
  helpMenu: 'Help',
  quit: 'Quit',
  show: 'Show',
  about: 'About Guardline',
  trayTitle: (statusText) => `Guardline – ${statusText}`,
  statusUnknown: 'status unknown',
  storeFailedTitle: 'Guardline cannot start',
  storeFailedIntro: 'The local data file could not be opened. No data was changed.',
};

/** `locale` is Electron's `app.getLocale()`, e.g. `sv-SE` or `en-US`. */
export function shellText(locale: string): ShellText {
  return locale.toLowerCase().startsWith('en') ? en : sv;
}
