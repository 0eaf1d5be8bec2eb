/**
 * Revoking a console for the whole facility from the Synk page (issue 12), in two
 * browser-host consoles (separate processes) and a tracker: the admin on A opens the
 * confirmation next to C, Escape cancels it (nothing happens), then with a reason the
 * revocation is confirmed by keyboard; A drops C at once and lists it as refused, and C
 * loses its mesh peer. (The tracker's and third consoles' side: test/integration/mesh/revocation.test.ts.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustCall } from './page-api.ts';
import { connectedPeers as connected, enrolPages, startMeshConsoles, type MeshConsoles } from './mesh-lab.ts';

const WAIT = { timeout: 30_000 };
const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };

let mesh: MeshConsoles;
let a: Page;
let c: Page;

beforeAll(async () => {
  mesh = await startMeshConsoles('guardline-e2e-revoke-', [
    { name: 'a', unit: 'Avdelning B' },
    { name: 'c', unit: 'Avdelning B' },
  ]);
  [a, c] = mesh.pages as [Page, Page];
}, 120_000);

afterAll(async () => {
  await mesh?.close();
});

describe('revoking a console from the Synk page', () => {
  it('asks first, cancels on Escape, then revokes C for the facility with a reason', async () => {
    await a.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', ADMIN);
    await enrolPages(mesh.tracker, [
      [a, 'A'],
      [c, 'C'],
    ]);
    // C gets the roster by sync; the admin signs in there too.
    await c.getByRole('heading', { name: 'Logga in' }).waitFor(WAIT);
    await mustCall(c, 'auth.signIn', { staffNumber: ADMIN.staffNumber, pin: ADMIN.pin });
    for (const page of [a, c]) await expect.poll(async () => (await connected(page)).length, WAIT).toBe(1);
    const cId = (await connected(a))[0]!;

    await a.getByRole('navigation').getByRole('button', { name: 'Synk' }).click();
    const revokeButton = a.getByTestId('mesh-peers').getByRole('button', { name: /^Återkalla .+…$/ });
    await revokeButton.focus();
    await a.keyboard.press('Enter');
    const dialog = a.getByRole('alertdialog', { name: /^Återkalla .+ i hela anläggningen\?$/ });
    await dialog.waitFor(WAIT);
    expect(await dialog.innerText()).toContain('Kan inte ångras');
    // The reason field has focus: Escape closes without revoking.
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', ...WAIT });
    expect(await connected(a)).toEqual([cId]);

    await revokeButton.focus();
    await a.keyboard.press('Enter');
    await dialog.waitFor(WAIT);
    await a.keyboard.type('Datorn stulen från vaktrummet');
    await a.keyboard.press('Enter');
    await a.getByText(/ är återkallad i hela anläggningen\.$/).waitFor(WAIT);

    await expect.poll(() => connected(a), WAIT).toEqual([]);
    await expect.poll(() => connected(c), WAIT).toEqual([]);
    const row = a.getByTestId('mesh-peers').getByRole('row').filter({ hasText: 'revoked' });
    await expect.poll(() => row.count(), WAIT).toBe(1);
    expect(await row.innerText()).toContain('Nekad');
  }, 120_000);
});
