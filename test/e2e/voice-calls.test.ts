/**
 * Test calls in the browser host: a facility config with a trunk that has an echo
 * target behind Kamailio (digest auth) and sipp (`-rtp_echo`). An admin opens the
 * trunk with the keyboard, stores its SIP login in the form (it never goes into the
 * config), presses T, and the call appears in the table with its verdict in words and
 * the chart draws. axe finds nothing serious in the detail.
 */
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { voiceTrunk, writeVoiceLabConfig } from '../support/voice-lab-config.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLabTools } from '../lab/tools.ts';
import { LAB_PASSWORD, LAB_USER, startEchoFarEnd, startVoiceProxy, type LabService } from '../lab/voice.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { callFromPage } from './page-api.ts';

const labReady = requireLabTools('test calls in the browser host', ['kamailio', 'sipp']);
const WAIT = { timeout: 20_000 };
const STAFF = { staffNumber: 'A100', name: 'Anna Admin', pin: '8642' };

describe.skipIf(!labReady)('test calls from the line detail (browser host)', () => {
  let dir: string;
  let farEnd: LabService;
  let proxy: LabService;
  let host: RunningWebHost;
  let browser: Browser;
  let page: Page;
  let silent: dgram.Socket;

  beforeAll(async () => {
    silent = dgram.createSocket('udp4'); // a "carrier" that never answers: calls to it end as no answer
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-voice-'));
    farEnd = await startEchoFarEnd({ kind: 'echo' }, (p) => p, 5);
    proxy = await startVoiceProxy({ farEndPort: farEnd.port, algorithm: 'SHA-256' });
    const config = join(dir, 'guardline.config.json');
    writeVoiceLabConfig(
      config,
      [{ id: 'central', name: 'Centralvakten' }],
      [
        voiceTrunk({
          id: 'trunk-a',
          name: 'Operatörstrunk',
          unit: 'central',
          port: proxy.port,
          credential: 'trunk-a',
          durationMs: 1500,
        }),
        {
          id: 'trunk-b',
          name: 'Reservtrunk',
          unit: 'central',
          kind: 'trunk',
          probe: { type: 'sip-options', host: '127.0.0.1', port: proxy.port },
          voiceTest: { host: '127.0.0.1', port: silent.address().port, echoUser: 'echo', answerTimeoutMs: 1000 },
        },
      ],
    );
    [host, browser] = await Promise.all([
      startWebHost({ dataDir: join(dir, 'data'), env: { GUARDLINE_CONFIG: config } }),
      launchChromium(),
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    await page.goto(host.url);
    await page.getByText('Ansluten').waitFor(WAIT);
    const created = await callFromPage(page, 'auth.bootstrapAdmin', STAFF);
    if (!created.ok) throw new Error(`could not create the first admin: ${JSON.stringify(created)}`);
    await page.getByRole('navigation').waitFor(WAIT);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await proxy?.dispose();
    await farEnd?.dispose();
    silent?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an admin stores the login, presses T, and the call shows with MOS, loss, jitter and set-up time', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Telefoner' }).press('Enter');
    await page.getByRole('grid').waitFor(WAIT);
    await page.locator('#line-cell-trunk-a').click();
    await page.getByRole('heading', { level: 1, name: 'Operatörstrunk' }).waitFor(WAIT);
    await page.getByRole('heading', { level: 2, name: 'Testsamtal' }).waitFor(WAIT);
    await page.getByText('Inga testsamtal än.').waitFor(WAIT); // the calls load after the heading

    await page.getByText('Lagra SIP-inloggning (administratör)').click(); // opens the collapsed form
    const form = page.getByRole('group', { name: 'SIP-inloggning för testsamtal (trunk-a)' });
    await form.getByLabel('Användarnamn').fill(LAB_USER);
    await form.getByLabel('Lösenord').fill(LAB_PASSWORD);
    await form.getByRole('button', { name: 'Spara inloggning' }).click();
    await page.getByText('Sparad i en fil som bara tjänstekontot kan läsa').waitFor(WAIT);

    await page.getByRole('heading', { level: 1, name: 'Operatörstrunk' }).focus();
    await page.keyboard.press('t');
    const table = page.getByRole('table', { name: 'Testsamtal' });
    await table.waitFor(WAIT);
    const row = table.getByRole('row').nth(1);
    await expect.poll(() => row.innerText(), WAIT).toMatch(/✓\s*Bra ljud/);
    expect(await row.innerText()).toMatch(/4[,.]\d+\s+0 %\s+[\d,]+ ms\s+\d+ ms\s+Manuellt/);
    await page.getByTestId('voice-chart').locator('canvas').first().waitFor(WAIT);

    if (process.env.VOICE_SHOT) await page.getByTestId('voice-calls').screenshot({ path: process.env.VOICE_SHOT });
    const results = await new AxeBuilder({ page }).include('.line-detail').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('a failed test call shows as a voice-quality episode in the outage report', async () => {
    const started = await callFromPage(page, 'voice.testNow', { lineId: 'trunk-b' });
    expect(started).toMatchObject({ ok: true, value: { started: true } });
    await expect
      .poll(async () => {
        const r = await callFromPage<{ calls: { verdict: string }[] }>(page, 'voice.status', { lineId: 'trunk-b' });
        return r.ok ? r.value.calls.map((c) => c.verdict) : [];
      }, WAIT)
      .toEqual(['no_answer']);
    await page.keyboard.press('Escape');
    await page.getByRole('navigation').getByRole('button', { name: 'Rapporter' }).click();
    const section = page.locator('.report-section', {
      has: page.getByRole('heading', { name: 'Röstkvalitet (testsamtal)' }),
    });
    await section.waitFor(WAIT);
    await expect.poll(() => section.innerText(), WAIT).toMatch(/Inget svar .+–.+ på Reservtrunk, 1 testsamtal/);
  });
});
