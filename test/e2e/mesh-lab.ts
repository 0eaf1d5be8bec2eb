/**
 * The e2e mesh: a tracker and browser-host consoles (separate processes, data dirs and mesh
 * listeners on loopback) that each dial all the others, with a Chromium page open on each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ChildTracker } from '../integration/tracker/child-tracker.ts';
import { enrolmentCode, FACILITY, startTracker } from '../integration/sync/sync-lab.ts';
import { meshAddressFrom, writeMeshConfig } from '../support/mesh-config.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { mustCall } from './page-api.ts';
import type { SyncStatus } from '../../src-shared/sync.ts';

export interface MeshConsoles {
  dir: string;
  tracker: ChildTracker;
  hosts: RunningWebHost[];
  browser: Browser;
  /** One page a console, in the order they were named. */
  pages: Page[];
  /** Close the browser, stop the hosts, kill the tracker, remove the files. */
  close(): Promise<void>;
}

/**
 * Start the tracker, one browser host for each `{ name, unit }` and Chromium at once; then
 * point every console's mesh at all of them (each skips its own address) and open its page.
 */
export async function startMeshConsoles(
  tempPrefix: string,
  consoles: { name: string; unit: string }[],
  chromiumArgs: readonly string[] = [],
): Promise<MeshConsoles> {
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const configs = consoles.map(({ name }) => join(dir, `${name}.config.json`));
  for (const file of configs) writeMeshConfig(file, { listen: '127.0.0.1:0', peers: [] });
  const [tracker, browser, ...hosts] = await Promise.all([
    startTracker(join(dir, 'tracker.sqlite')),
    launchChromium(chromiumArgs),
    ...consoles.map(({ name, unit }, i) =>
      startWebHost({
        dataDir: join(dir, name),
        env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: unit, GUARDLINE_CONFIG: configs[i]! },
      }),
    ),
  ] as const);
  const addresses = hosts.map((h) => meshAddressFrom(h.output()));
  for (const file of configs) writeMeshConfig(file, { peers: addresses });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const pages = await Promise.all(hosts.map(() => context.newPage()));
  await Promise.all(pages.map((p, i) => p.goto(hosts[i]!.url)));
  return {
    dir,
    tracker,
    hosts,
    browser,
    pages,
    async close() {
      await browser.close();
      await Promise.all(hosts.map((h) => h.stop()));
      await tracker.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Enrol each page's console with the tracker under its label, adopting the tracker's facility. */
export async function enrolPages(tracker: ChildTracker, pages: readonly (readonly [Page, string])[]): Promise<void> {
  for (const [page, label] of pages) {
    await mustCall(page, 'sync.enroll', {
      trackerUrl: tracker.url,
      code: await enrolmentCode(tracker.url),
      label,
      adoptFacility: true,
    });
  }
}

export const syncStatus = (page: Page) => mustCall<SyncStatus>(page, 'sync.status');

/** The device ids of the console's mesh peers that are connected now. */
export const connectedPeers = async (page: Page) =>
  (await syncStatus(page)).mesh.peers.filter((p) => p.state === 'connected').map((p) => p.deviceId);
