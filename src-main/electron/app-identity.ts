/**
 * Who the app is to the operating system. Windows files toasts, the taskbar button and
 * its flashing under the Application User Model ID; the NSIS installer gives the Start
 * menu shortcut electron-builder's `appId` (electron-builder.yml), and only a process
 * with the same ID gets that shortcut's name, icon and notification settings
 * (https://www.electronjs.org/docs/latest/api/app#appsetappusermodelidid-windows).
 */
export const APP_USER_MODEL_ID = 'se.guardline.console';

export interface AppIdentityTarget {
  setAppUserModelId(id: string): void;
}

/** Call before the first window or notification exists. Windows only; elsewhere there is no such ID. */
export function applyAppIdentity(app: AppIdentityTarget, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
}
