import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const runTs = join(import.meta.dirname, '../../bench/run.ts');

/**
 * `npm run bench a b …` runs each suite in a process of its own (issue 16s): the stall
 * suite's console measured the heap other suites left behind in the same process (stop 25's
 * quiet run: 143 MiB in use, a full collection of it as long as the 59 ms control stretch).
 */
describe('npm run bench with several suites', () => {
  it('runs each named suite in its own process, one after the other', () => {
    const run = spawnSync(process.execPath, [runTs, 'stall', 'reports'], {
      encoding: 'utf8',
      env: { ...process.env, GUARDLINE_BENCH_DRY_RUN: '1' },
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const loaded = [...run.stdout.matchAll(/suite (\S+) loaded in process (\d+) \(parent (\d+)\)/g)].map((m) => ({
      suite: m[1],
      pid: Number(m[2]),
      parent: Number(m[3]),
    }));
    expect(loaded.map((l) => l.suite)).toEqual(['stall', 'reports']);
    expect(loaded[0]!.pid).not.toBe(loaded[1]!.pid);
    // Both children of the process the suites were named to, not that process itself.
    expect(loaded[0]!.parent).toBe(run.pid);
    expect(loaded[1]!.parent).toBe(run.pid);
  });
});
