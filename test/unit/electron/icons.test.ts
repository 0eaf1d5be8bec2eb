import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderIcons } from '../../../scripts/generate-icons.ts';
import { TRAY_LEVELS } from '../../../src-main/electron/tray-level.ts';

const assetsDir = join(import.meta.dirname, '../../../assets');
const rendered = renderIcons();

/** Reads the PNGs our generator writes: 8-bit RGBA, filter type 0 on every row. */
function decode(png: Buffer): { width: number; height: number; alpha: number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const alpha: number[] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    for (let x = 0; x < width; x++) alpha.push(raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!);
  }
  return { width, height, alpha };
}

describe('icons', () => {
  it('committed icons are exactly what scripts/generate-icons.ts draws', () => {
    for (const [path, png] of rendered) {
      expect(
        readFileSync(join(assetsDir, path)).equals(png),
        `${path} is stale: run node scripts/generate-icons.ts`,
      ).toBe(true);
    }
  });

  it('draws the app icon at 512 and 256 px and each tray state at 16 and 32 px', () => {
    const size = (path: string) => decode(rendered.get(path)!).width;
    expect(size('icons/512x512.png')).toBe(512);
    expect(size('icons/256x256.png')).toBe(256);
    for (const level of TRAY_LEVELS) {
      expect(size(`tray/tray-${level}.png`)).toBe(16);
      expect(size(`tray/tray-${level}@2x.png`)).toBe(32);
    }
  });

  it('gives every tray state its own shape, so it reads without colour', () => {
    const masks = TRAY_LEVELS.map((level) =>
      decode(rendered.get(`tray/tray-${level}@2x.png`)!).alpha.map((a) => a > 127),
    );
    for (let i = 0; i < masks.length; i++) {
      for (let j = i + 1; j < masks.length; j++) {
        const differing = masks[i]!.filter((opaque, p) => opaque !== masks[j]![p]).length;
        expect(differing, `${TRAY_LEVELS[i]} vs ${TRAY_LEVELS[j]}`).toBeGreaterThan(32 * 32 * 0.1);
      }
    }
  });
});
