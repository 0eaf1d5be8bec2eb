/**
 * The header names the facility from `system.info`; with a facility config file that
 * must be the config's facility, the same one the status board shows. Without a file
 * (demo facility, or telephony off) the launch option's name stays.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../../src-shared/api.ts';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';

const open: TestConsole[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) d.cleanup();
  cleanupTestConsoles();
});

function configFile(facilityName: string): string {
  const dir = tempDir('guardline-facility-info-');
  dirs.push(dir);
  const file = join(dir.path, 'guardline.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      facility: { id: 'kumla', name: facilityName },
      units: [{ id: 'a', name: 'Avdelning A' }],
      lines: [
        { id: 'desk', name: 'Expedition', unit: 'a', kind: 'desk', probe: { type: 'tcp', host: '127.0.0.1', port: 9 } },
      ],
      reserveProcedure: 'Radio kanal 2',
    }),
  );
  return file;
}

describe('system.info facility', () => {
  it('is the config file’s facility, as on the status board', async () => {
    const c = openTestConsole({
      facility: 'Från startflaggan',
      telephony: { configFile: configFile('Kumlaanstalten') },
    });
    open.push(c);
    await c.core.ready;
    expect((await c.call<SystemInfo>('system.info')).facility).toBe('Kumlaanstalten');
    expect((await c.call<LineBoard>('lines.board')).facility?.name).toBe('Kumlaanstalten');
  });

  it('stays the launch option in demo mode and without telephony', async () => {
    const demo = openTestConsole({ facility: 'Säbyanstalten', telephony: { demo: true } });
    const none = openTestConsole({ facility: 'Hallanstalten' });
    open.push(demo, none);
    await Promise.all([demo.core.ready, none.core.ready]);
    expect((await demo.call<SystemInfo>('system.info')).facility).toBe('Säbyanstalten');
    expect((await none.call<SystemInfo>('system.info')).facility).toBe('Hallanstalten');
  });
});
