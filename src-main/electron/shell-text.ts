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
  quitConfirm: string;
  quitConfirmDetail: string;
  quitButton: string;
  cancelButton: string;
  okButton: string;
  quitRefusedAlarm: string;
  quitNeedsSupervisor: string;
  quitFailed: string;
  loadFailedTitle: string;
  loadFailedBody: string;
  crashedBody: string;
  sandboxOffTitle: string;
  sandboxOffBody: string;
  updateReadyTitle: string;
  updateReadyBody: (version: string) => string;
  updateHeldBody: (version: string) => string;
}

const sv: ShellText = {
  fileMenu: 'Arkiv',
  editMenu: 'Redigera',
  viewMenu: 'Visa',
  helpMenu: 'Hjälp',
  quit: 'Avsluta…',
  show: 'Visa',
  about: 'Om Guardline',
  trayTitle: (statusText) => `Guardline – ${statusText}`,
  statusUnknown: 'status okänd',
  storeFailedTitle: 'Guardline kan inte starta',
  storeFailedIntro: 'Den lokala datafilen kunde inte öppnas. Inga data har ändrats.',
  quitConfirm: 'Avsluta Guardline?',
  quitConfirmDetail:
    'Linjeövervakning, eskaleringar och larm stoppas på den här datorn tills Guardline startas igen. ' +
    'En inloggad arbetsledare eller administratör krävs. Att stänga fönstret räcker för att dölja konsolen.',
  quitButton: 'Avsluta',
  cancelButton: 'Avbryt',
  okButton: 'OK',
  quitRefusedAlarm: 'Guardline kan inte avslutas medan ett larm står. Kvittera larmet först.',
  quitNeedsSupervisor: 'Logga in som arbetsledare eller administratör i konsolen för att avsluta.',
  quitFailed: 'Guardline kunde inte avslutas.',
  loadFailedTitle: 'Konsolen kunde inte visas',
  loadFailedBody:
    'Övervakningen av linjer och larm fortsätter i bakgrunden. Guardline försöker visa konsolen igen var femte sekund.',
  crashedBody:
    'Konsolsidan har kraschat upprepade gånger. Övervakningen fortsätter i bakgrunden; Guardline försöker igen.',
  updateReadyTitle: 'Ny version av Guardline',
  updateReadyBody: (version) => `Version ${version} är hämtad och installeras när konsolen startas om.`,
  updateHeldBody: (version) =>
    `Version ${version} är hämtad men installeras inte medan ett larm står; den installeras vid en omstart efter att larmen är kvitterade.`,
  sandboxOffTitle: 'Guardline startar inte utan sandlåda',
  sandboxOffBody:
    'Guardline startades med --no-sandbox, oftast för att Ubuntu 24.04 eller senare begränsar användarnamnrymder för AppImage-filer. ' +
    'Installera .deb-paketet, som installerar AppArmor-profilen, eller be en administratör installera profilen enligt docs/linux.md.',
};

const en: ShellText = {
  fileMenu: 'File',
  editMenu: 'Edit',
  viewMenu: 'View',
  helpMenu: 'Help',
  quit: 'Quit…',
  show: 'Show',
  about: 'About Guardline',
  trayTitle: (statusText) => `Guardline – ${statusText}`,
  statusUnknown: 'status unknown',
  storeFailedTitle: 'Guardline cannot start',
  storeFailedIntro: 'The local data file could not be opened. No data was changed.',
  quitConfirm: 'Quit Guardline?',
  quitConfirmDetail:
    'Line monitoring, escalations and alarms stop on this computer until Guardline is started again. ' +
    'A signed-in supervisor or admin is required. Closing the window is enough to hide the console.',
  quitButton: 'Quit',
  cancelButton: 'Cancel',
  okButton: 'OK',
  quitRefusedAlarm: 'Guardline cannot quit while an alarm stands. Acknowledge the alarm first.',
  quitNeedsSupervisor: 'Sign in as a supervisor or admin in the console to quit.',
  quitFailed: 'Guardline could not quit.',
  loadFailedTitle: 'The console could not be shown',
  loadFailedBody:
    'Line and alarm monitoring continues in the background. Guardline tries to show the console again every five seconds.',
  crashedBody: 'The console page crashed repeatedly. Monitoring continues in the background; Guardline keeps trying.',
  updateReadyTitle: 'New version of Guardline',
  updateReadyBody: (version) => `Version ${version} is downloaded and installs when the console restarts.`,
  updateHeldBody: (version) =>
    `Version ${version} is downloaded but does not install while an alarm stands; it installs at a restart once the alarms are acknowledged.`,
  sandboxOffTitle: 'Guardline does not run without its sandbox',
  sandboxOffBody:
    'Guardline was started with --no-sandbox, usually because Ubuntu 24.04 or later restricts user namespaces for AppImages. ' +
    'Install the .deb package, which installs the AppArmor profile, or ask an administrator to install the profile as described in docs/linux.md.',
};

/** `locale` is Electron's `app.getLocale()`, e.g. `sv-SE` or `en-US`. */
export function shellText(locale: string): ShellText {
  return locale.toLowerCase().startsWith('en') ? en : sv;
}
