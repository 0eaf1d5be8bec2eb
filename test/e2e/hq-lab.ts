/**
 * What the HQ e2e tests share: a real tracker process, a real console core (in this
 * process, real SQLite) whose trunk probe the test can fail, and sign-in helpers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ProbeRunner } from '../../src-main/core/telephony/index.ts';
import type { TestConsole } from '../support/consoles.ts';
import { enrol, enrolmentCode, syncConsole, waitForSync } from '../integration/sync/sync-lab.ts';
import { HQ_SCRIPT_ADMIN } from '../integration/tracker/http-client.ts';

export const HQ_ADMIN = HQ_SCRIPT_ADMIN;
export const TRUNK_PORT = 5999;

/** Every probe answers, except the trunk's while `trunk.down` is set. */
export function switchableProbes(): { runner: ProbeRunner; trunk: { down: boolean } } {
  const trunk = { down: false };
  const runner: ProbeRunner = async (spec) => {
    const down = trunk.down && 'port' in spec && spec.port === TRUNK_PORT;
    return down
      ? { ok: false, state: 'down', code: 'timeout', rttMs: null, detail: 'no answer', at: Date.now() }
      : { ok: true, state: 'up', code: 'sip_status', rttMs: 1, detail: '200 OK', at: Date.now() };
  };
  return { runner, trunk };
}

export function writeTrunkConfig(file: string, facility: { id: string; name: string }): void {
  const line = (id: string, name: string, unit: string, kind: string, port: number) => ({
    id,
    name,
    unit,
    kind,
    criticality: 'critical',
    probe: { type: 'sip-options', host: '127.0.0.1', port },
  });
  writeFileSync(
    file,
    JSON.stringify({
      facility,
      units: [
        { id: 'a', name: 'Avdelning A' },
        { id: 'c', name: 'Centralen' },
      ],
      lines: [
        line('trunk1', 'Operatörstrunk', 'c', 'trunk', TRUNK_PORT),
        line('a1', 'A vakt', 'a', 'desk', 5061),
        line('a2', 'A expedition', 'a', 'desk', 5062),
      ],
      probeDefaults: { intervalMs: 250, timeoutMs: 100, downThreshold: 1, upThreshold: 1, jitterRatio: 0 },
      reserveProcedure: { sv: 'Radio kanal 3', en: 'Radio channel 3' },
    }),
  );
}

/** A console of the tracker's facility with three lines, enrolled and synced. */
export async function trunkConsole(
  dir: string,
  trackerUrl: string,
  name: string,
): Promise<{
  console: TestConsole;
  trunk: { down: boolean };
}> {
  const config = join(dir, `${name}.config.json`);
  writeTrunkConfig(config, { id: name, name: `Anstalt ${name}` });
  const { runner, trunk } = switchableProbes();
  const c = await syncConsole(dir, name, { telephony: { configFile: config, runProbe: runner } });
  await c.core.ready;
  await enrol(c, trackerUrl, await enrolmentCode(trackerUrl));
  await waitForSync(c, (s) => s.pending === 0 && s.lastSuccessAt !== null, 'first sync', 30_000);
  return { console: c, trunk };
}

export async function signInHq(page: Page, account = HQ_ADMIN): Promise<void> {
  await page.getByLabel(/^(Namn|Name)$/).fill(account.name);
  await page.getByLabel(/^(Lösenord|Password)$/).fill(account.password);
  await page.keyboard.press('Enter');
}

export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A screenshot that is more than one colour: distinct bytes sampled across the PNG. */
export async function distinctColours(page: Page): Promise<number> {
  const shot = await page.screenshot({ fullPage: false });
  // Decoded on a blank page: HQ's own CSP rightly refuses data: URLs.
  const blank = await page.context().newPage();
  const decoded = await blank.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  }, shot.toString('base64'));
  await blank.close();
  return decoded;
}
