/**
 * The temp directory, tracker and consoles a sync test file starts, closed by one hook:
 * consoles first, then what stood between them and the tracker (proxies, servers), then the
 * tracker, then the files. Kept apart from sync-lab.ts, which the bench tools import outside vitest.
 */
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { cleanupTestConsoles, type TestConsole, type TestConsoleOptions } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import { startTracker, syncConsole } from './sync-lab.ts';

export interface SyncLab {
  /** The file's temp directory: the tracker's and the consoles' SQLite files. */
  readonly dir: string;
  /** The tracker started last; throws before `startTracker`. */
  readonly tracker: ChildTracker;
  /** Whether a tracker was started (in this test, with `closeAfter: 'each'`). */
  readonly hasTracker: boolean;
  /** A tracker on the lab's `tracker.sqlite` (after a kill, a restart on the same file). */
  startTracker(args?: string[]): Promise<ChildTracker>;
  /** `syncConsole` in the lab's directory, closed with the lab. */
  syncConsole(name: string, options?: TestConsoleOptions): Promise<TestConsole>;
  /** Close a console opened some other way with the lab. */
  keep(c: TestConsole): TestConsole;
  /** Close a proxy or server with the lab, after the consoles and before the tracker. */
  closeBeforeTracker(close: () => Promise<void>): void;
}

export function syncLab(prefix: string, { closeAfter = 'all' }: { closeAfter?: 'all' | 'each' } = {}): SyncLab {
  const dir = tempDir(prefix);
  const consoles: TestConsole[] = [];
  const between: (() => Promise<void>)[] = [];
  let tracker: ChildTracker | null = null;

  (closeAfter === 'all' ? afterAll : afterEach)(async () => {
    for (const c of consoles.splice(0)) await c.close();
    for (const close of between.splice(0)) await close();
    await tracker?.kill();
    tracker = null;
    cleanupTestConsoles();
    dir.cleanup();
  });

  return {
    dir: dir.path,
    get tracker() {
      if (!tracker) throw new Error('no tracker started in this sync lab');
      return tracker;
    },
    get hasTracker() {
      return tracker !== null;
    },
    async startTracker(args = []) {
      tracker = await startTracker(join(dir.path, 'tracker.sqlite'), args);
      return tracker;
    },
    async syncConsole(name, options) {
      const c = await syncConsole(dir.path, name, options);
      consoles.push(c);
      return c;
    },
    keep(c) {
      consoles.push(c);
      return c;
    },
    closeBeforeTracker(close) {
      between.push(close);
    },
  };
}
