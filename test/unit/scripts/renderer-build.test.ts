import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererNeedsBuild } from '../../../scripts/renderer-build.ts';

let dir: string;
let dist: string;
let src: string;
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-build-'));
  dist = join(dir, 'dist-renderer');
  src = join(dir, 'src-renderer');
  mkdirSync(join(src, 'features', 'incidents'), { recursive: true });
  writeFileSync(join(src, 'main.tsx'), '');
  writeFileSync(join(src, 'features', 'incidents', 'List.tsx'), '');
  utimesSync(join(src, 'main.tsx'), at(10), at(10));
  utimesSync(join(src, 'features', 'incidents', 'List.tsx'), at(10), at(10));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rendererNeedsBuild', () => {
  it('builds when dist-renderer/index.html is missing', () => {
    expect(rendererNeedsBuild(dist, [src])).toBe(true);
  });

  it('skips the build when the build is newer than every source', () => {
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '');
    utimesSync(join(dist, 'index.html'), at(20), at(20));
    expect(rendererNeedsBuild(dist, [src, join(dir, 'no-such-config.ts')])).toBe(false);
  });

  it('rebuilds when a nested source file changed after the build', () => {
    utimesSync(join(src, 'features', 'incidents', 'List.tsx'), at(30), at(30));
    expect(rendererNeedsBuild(dist, [src])).toBe(true);
  });
});
