/**
 * The Windows installer's "start at sign-in" page (`assets/installer/installer.nsh`, issue 14)
 * compiled with the real NSIS compiler (Debian's `nsis`, provisioned by .ci/run), warnings as
 * errors as electron-builder compiles it, in both of electron-builder's passes: the installer,
 * and the uninstaller (`BUILD_UNINSTALLER`), where an unreferenced installer function would be
 * a warning. The harness stands in for electron-builder's installer.nsi: the same defines, the
 * folder page, then `customPageAfterChangeDir`, and the install/uninstall macros. The Electron
 * app itself is not needed to compile the script (running the installer needs Windows).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const include = join(root, 'assets/installer/installer.nsh');
const makensis = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'guardline-nsis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HARNESS = `Unicode true
!define APP_ID "se.guardline.console"
!define APP_EXECUTABLE_FILENAME "Guardline.exe"
Name "Guardline"
OutFile "\${OUTFILE}"
InstallDir "$PROGRAMFILES64\\Guardline"
RequestExecutionLevel admin
!include MUI2.nsh
!include "\${INCLUDE}"
!ifndef BUILD_UNINSTALLER
  !insertmacro MUI_PAGE_DIRECTORY
  !insertmacro customPageAfterChangeDir
  !insertmacro MUI_PAGE_INSTFILES
!else
  !insertmacro MUI_UNPAGE_INSTFILES
!endif
!insertmacro MUI_LANGUAGE "English"
Section "install"
!ifndef BUILD_UNINSTALLER
  SetShellVarContext all
  !insertmacro customInstall
!else
  WriteUninstaller "$EXEDIR\\uninstall.exe"
!endif
SectionEnd
!ifdef BUILD_UNINSTALLER
Section "Uninstall"
  SetShellVarContext all
  !insertmacro customUnInstall
SectionEnd
!endif
`;

function compile(nsh: string, uninstaller: boolean, withIsUpdated = false): { ok: boolean; output: string } {
  const harness = join(dir, 'harness.nsi');
  // electron-builder's own `isUpdated` LogicLib test, where its templates define it.
  writeFileSync(harness, withIsUpdated ? `!define isUpdated \`"$CMDLINE" == "--updated"\`\n${HARNESS}` : HARNESS);
  const args = ['-WX', '-V2', `-DOUTFILE=${join(dir, 'out.exe')}`, `-DINCLUDE=${nsh}`];
  if (uninstaller) args.push('-DBUILD_UNINSTALLER');
  const run = spawnSync('makensis', [...args, harness], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(!makensis)('NSIS include (makensis; `apt-get install nsis` where missing)', () => {
  it('compiles in the installer and the uninstaller pass with warnings as errors', () => {
    for (const uninstaller of [false, true]) {
      for (const withIsUpdated of [false, true]) {
        const result = compile(include, uninstaller, withIsUpdated);
        expect(result.ok, result.output).toBe(true);
      }
    }
  });

  it('fails when the installer-only part is not kept out of the uninstaller (the check can fail)', () => {
    const text = readFileSync(include, 'utf8');
    const unguarded = text
      .replace('!ifndef BUILD_UNINSTALLER\n', '')
      .replace(/!endif\s*\n(?=\s*!macro customUnInstall)/, '');
    expect(unguarded).not.toBe(text);
    const broken = join(dir, 'unguarded.nsh');
    writeFileSync(broken, unguarded);
    const result = compile(broken, true);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/warning treated as error/);
  });
});
