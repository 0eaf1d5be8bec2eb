import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../../src-main/electron/app-identity.ts';
import { parseLaunchOptions } from '../../../src-main/core/launch-options.ts';

// electron-builder's own loader and schema check: what `npm run dist` would read.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const yaml = require('js-yaml') as { load(text: string): unknown };

const root = join(import.meta.dirname, '../../..');
const file = join(root, 'electron-builder.yml');
/** The file as written; electron-builder normalises some fields (e.g. `files`) when loading. */
const config = yaml.load(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration', async () => {
    const loaded = await getConfig(root, file, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded.electronFuses).toEqual(config.electronFuses);
  });

  it("writes electron-updater's generic-provider channel files, for the tracker's /updates/ feed", async () => {
    expect(config.publish).toEqual({ provider: 'generic', url: 'https://tracker.invalid/updates/' });
    const loaded = await getConfig(root, file, null);
    expect(loaded.publish).toMatchObject({ provider: 'generic' });
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The renderer is served on app://, so file:// pages need no extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('identifies the app as Guardline, with the same id the shell gives Windows at run time', () => {
    expect(config.appId).toBe('se.guardline.console');
    expect(config.productName).toBe('Guardline');
    // Toasts, taskbar button and pinned shortcut match only when these two agree.
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });

  it('offers starting at sign-in, hidden in the tray, in the Windows installer', () => {
    const include = (config.nsis as { include?: string }).include!;
    const nsh = readFileSync(join(root, include), 'utf8');
    expect(nsh).toContain('!macro customPageAfterChangeDir');
    // The Run value starts the installed exe with --hidden; the uninstaller removes it.
    expect(nsh).toMatch(
      /WriteRegStr SHCTX "\$\{GUARDLINE_RUN_KEY\}" "\$\{APP_ID\}" '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" --hidden'/,
    );
    const uninstall = nsh.slice(nsh.indexOf('!macro customUnInstall'));
    expect(uninstall).toMatch(/DeleteRegValue SHCTX "\$\{GUARDLINE_RUN_KEY\}" "\$\{APP_ID\}"/);
    expect(nsh).toContain('Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    // --hidden passes launch-option parsing untouched (the shell reads it itself).
    expect(() => parseLaunchOptions(['--hidden'], {})).not.toThrow();
  });

  it('ships an AppArmor profile for the AppImage that never trusts a temp path', () => {
    const profile = readFileSync(join(root, 'assets/linux/guardline-appimage.apparmor'), 'utf8');
    expect(profile).toMatch(/^\s*userns,$/m);
    expect(profile).toMatch(/^profile guardline-appimage \/opt\/guardline-appimage\/guardline /m);
    expect(
      profile
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
    ).not.toContain('/tmp');
    expect((config.linux as { executableName?: string }).executableName).toBe('guardline');
    // electron-builder would otherwise start the AppImage with --no-sandbox from its desktop entry.
    expect((config.appImage as { executableArgs?: string[] }).executableArgs).toEqual([]);
  });

  it('packs only the build output into an asar, with the SQLite binding unpacked', () => {
    expect(config.asar).toBe(true);
    const files = config.files as string[];
    expect(files).toContain('out/**');
    expect(files).toContain('package.json');
    expect(files.some((f) => /^src|^test|^scripts/.test(f))).toBe(false);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
  });

  it('ships the icons the main process loads at run time', () => {
    const files = config.files as string[];
    expect(files).toContain('assets/tray/**');
    expect(files).toContain('assets/icons/256x256.png');
    expect(existsSync(join(root, 'assets/tray/tray-ok.png'))).toBe(true);
    expect(existsSync(join(root, config.icon as string))).toBe(true);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
  });

  it('installs per machine on Windows with an assisted (not one-click) NSIS installer', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
  });
});
