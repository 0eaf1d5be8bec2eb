import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeLock } from '../../../scripts/build-lock.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderer build lock', () => {
  it('gives the lock to one taker at a time', async () => {
    const lock = join(dir, 'one-at-a-time');
    const first = await takeLock(lock, 0);
    expect(first).not.toBeNull();
    expect(await takeLock(lock, 0)).toBeNull();
    const waiting = takeLock(lock, 60_000);
    first?.();
    const second = await waiting;
    expect(second).not.toBeNull();
    second?.();
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock whose holder has died', async () => {
    const lock = join(dir, 'dead-holder');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(dead));
    const release = await takeLock(lock, 0);
    expect(release).not.toBeNull();
    release?.();
  });

  it('keeps a lock whose holder is alive', async () => {
    const lock = join(dir, 'live-holder');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    expect(await takeLock(lock, 0)).toBeNull();
  });
});
