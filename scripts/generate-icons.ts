/**
 * Draws Guardline's app icon and tray icons and writes them as PNG files under
 * `assets/`. Hand-written on purpose: a few signed-distance shapes and a minimal PNG
 * encoder (zlib + CRC from Node) keep the icons reproducible from source without an
 * image toolchain. Run `node scripts/generate-icons.ts`; a unit test checks that
 * the committed files match what this script draws.
 *
 * Tray states differ by shape as well as colour, so they read for colour-blind
 * staff and on monochrome panels: ok = circle with a check, warn = triangle with a
 * bar, down = square with a cross, unknown = hollow diamond.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { TRAY_LEVELS, type TrayLevel } from '../src-main/electron/tray-level.ts';

type Rgba = readonly [number, number, number, number];
/** Signed distance in pixels: negative inside, positive outside. */
type Shape = (x: number, y: number) => number;
type Point = readonly [number, number];

const SUPERSAMPLE = 4;

class Canvas {
  readonly size: number;
  readonly pixels: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.pixels = new Float64Array(size * size * 4);
  }

  /** Paint a shape (coordinates in a 0..1 unit square) with anti-aliased edges, source-over. */
  fill(shape: Shape, color: Rgba): void {
    const n = this.size;
    for (let py = 0; py < n; py++) {
      for (let px = 0; px < n; px++) {
        // Only pixels near an edge need supersampling; the distance at the centre says which.
        const centre = shape((px + 0.5) / n, (py + 0.5) / n) * n;
        if (centre > 0.75) continue;
        let covered = centre < -0.75 ? SUPERSAMPLE * SUPERSAMPLE : 0;
        for (let sy = 0; sy < SUPERSAMPLE && centre >= -0.75; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            const x = (px + (sx + 0.5) / SUPERSAMPLE) / n;
            const y = (py + (sy + 0.5) / SUPERSAMPLE) / n;
            if (shape(x, y) <= 0) covered++;
          }
        }
        if (covered === 0) continue;
        const a = (color[3] * covered) / (SUPERSAMPLE * SUPERSAMPLE);
        const i = (py * n + px) * 4;
        const dstA = this.pixels[i + 3]!;
        const outA = a + dstA * (1 - a);
        for (let c = 0; c < 3; c++) {
          const dst = this.pixels[i + c]!;
          this.pixels[i + c] = outA === 0 ? 0 : (color[c]! * a + dst * dstA * (1 - a)) / outA;
        }
        this.pixels[i + 3] = outA;
      }
    }
  }

  toPng(): Buffer {
    const n = this.size;
    const raw = Buffer.alloc(n * (n * 4 + 1));
    for (let y = 0; y < n; y++) {
      raw[y * (n * 4 + 1)] = 0; // filter: none
      for (let x = 0; x < n * 4; x++) {
        const v = this.pixels[y * n * 4 + x]!;
        const byte = x % 4 === 3 ? v * 255 : v;
        raw[y * (n * 4 + 1) + 1 + x] = Math.max(0, Math.min(255, Math.round(byte)));
      }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(n, 0);
    header.writeUInt32BE(n, 4);
    header[8] = 8; // bit depth
    header[9] = 6; // colour type RGBA
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

// --- shapes (unit-square coordinates, y down) ---

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - r;

const roundedBox =
  (cx: number, cy: number, halfW: number, halfH: number, radius: number): Shape =>
  (x, y) => {
    const qx = Math.abs(x - cx) - halfW + radius;
    const qy = Math.abs(y - cy) - halfH + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };

/** A stroke with round caps through the given points. */
const stroke =
  (points: readonly Point[], width: number): Shape =>
  (x, y) => {
    let best = Infinity;
    for (let i = 0; i + 1 < points.length; i++)
      best = Math.min(best, segmentDistance(x, y, points[i]!, points[i + 1]!));
    return best - width / 2;
  };

function segmentDistance(x: number, y: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return Math.hypot(x - ax, y - ay);
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSquared));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

/** Filled polygon (even-odd), optionally with rounded corners. */
const polygon =
  (points: readonly Point[], rounding = 0): Shape =>
  (x, y) => {
    let best = Infinity;
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      best = Math.min(best, segmentDistance(x, y, points[j]!, points[i]!));
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return (inside ? -best : best) - rounding;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

const subtract =
  (from: Shape, cut: Shape): Shape =>
  (x, y) =>
    Math.max(from(x, y), -cut(x, y));

/** Heater shield: straight shoulders, sides curving into a point at the bottom. */
function shield(cx: number, top: number, halfW: number, height: number): Point[] {
  const shoulder = top + height * 0.12;
  const bottom = top + height;
  const left: Point[] = [];
  const steps = 24;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    // Sides run straight for the first part, then bend inward to the point.
    const y = shoulder + (bottom - shoulder) * t;
    const bend = t < 0.35 ? 0 : Math.pow((t - 0.35) / 0.65, 1.8);
    left.push([cx - halfW * (1 - bend), y]);
  }
  const right = left.map(([x, y]) => [2 * cx - x, y] as Point);
  return [[cx - halfW, top], [cx, top - height * 0.04], [cx + halfW, top], ...right, ...left.reverse()];
}

/** Classic handset seen from the side: a shallow arc whose ends widen into flat ear and mouth cups. */
function handset(cx: number, cy: number, r: number, thickness: number): Shape {
  const arcPoints: Point[] = [];
  const from = (215 * Math.PI) / 180;
  const to = (325 * Math.PI) / 180;
  for (let i = 0; i <= 20; i++) {
    const a = from + ((to - from) * i) / 20;
    arcPoints.push([cx + r * Math.cos(a), cy + r * Math.sin(a) + r * 0.5]);
  }
  const cup = ([px, py]: Point, angle: number): Shape => {
    const box = roundedBox(0, 0, thickness * 1.25, thickness * 0.62, thickness * 0.3);
    const cos = Math.cos(-angle);
    const sin = Math.sin(-angle);
    return (x, y) => box((x - px) * cos - (y - py) * sin, (x - px) * sin + (y - py) * cos);
  };
  const start = arcPoints[0]!;
  const end = arcPoints[arcPoints.length - 1]!;
  const tilt = (25 * Math.PI) / 180;
  return union(
    stroke(arcPoints, thickness),
    cup([start[0] - thickness * 0.35, start[1] + thickness * 0.7], tilt),
    cup([end[0] + thickness * 0.35, end[1] + thickness * 0.7], -tilt),
  );
}

// --- the icons ---

const NAVY: Rgba = [16, 37, 74, 1];
const WHITE: Rgba = [255, 255, 255, 1];
const OK_GREEN: Rgba = [22, 128, 61, 1];
const WARN_AMBER: Rgba = [217, 138, 0, 1];
const DOWN_RED: Rgba = [196, 30, 36, 1];
const UNKNOWN_GREY: Rgba = [110, 116, 126, 1];

function appIcon(size: number): Buffer {
  const c = new Canvas(size);
  c.fill(roundedBox(0.5, 0.5, 0.46, 0.46, 0.1), NAVY);
  c.fill(polygon(shield(0.5, 0.18, 0.29, 0.66), 0.012), WHITE);
  c.fill(handset(0.5, 0.46, 0.19, 0.075), NAVY);
  return c.toPng();
}

function trayIcon(level: TrayLevel, size: number): Buffer {
  const c = new Canvas(size);
  // Glyph strokes scale with the icon but never get thinner than ~1.6 px.
  const line = Math.max(1.6 / size, 0.14);
  switch (level) {
    case 'ok':
      c.fill(circle(0.5, 0.5, 0.47), OK_GREEN);
      c.fill(
        stroke(
          [
            [0.27, 0.52],
            [0.43, 0.68],
            [0.73, 0.34],
          ],
          line,
        ),
        WHITE,
      );
      break;
    case 'warn':
      c.fill(
        polygon(
          [
            [0.5, 0.06],
            [0.96, 0.9],
            [0.04, 0.9],
          ],
          0.03,
        ),
        WARN_AMBER,
      );
      c.fill(
        stroke(
          [
            [0.5, 0.36],
            [0.5, 0.58],
          ],
          line,
        ),
        WHITE,
      );
      c.fill(circle(0.5, 0.76, line * 0.6), WHITE);
      break;
    case 'down':
      c.fill(roundedBox(0.5, 0.5, 0.44, 0.44, 0.08), DOWN_RED);
      c.fill(
        union(
          stroke(
            [
              [0.3, 0.3],
              [0.7, 0.7],
            ],
            line,
          ),
          stroke(
            [
              [0.7, 0.3],
              [0.3, 0.7],
            ],
            line,
          ),
        ),
        WHITE,
      );
      break;
    case 'unknown': {
      const diamond = polygon([
        [0.5, 0.04],
        [0.96, 0.5],
        [0.5, 0.96],
        [0.04, 0.5],
      ]);
      const hole = polygon([
        [0.5, 0.3],
        [0.7, 0.5],
        [0.5, 0.7],
        [0.3, 0.5],
      ]);
      c.fill(subtract(diamond, hole), UNKNOWN_GREY);
      break;
    }
  }
  return c.toPng();
}

/** Every generated file, keyed by its path under `assets/`. */
export function renderIcons(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('icons/512x512.png', appIcon(512));
  files.set('icons/256x256.png', appIcon(256));
  for (const level of TRAY_LEVELS) {
    files.set(`tray/tray-${level}.png`, trayIcon(level, 16));
    files.set(`tray/tray-${level}@2x.png`, trayIcon(level, 32));
  }
  return files;
}

export function writeIcons(assetsDir: string): string[] {
  const written: string[] = [];
  for (const [path, png] of renderIcons()) {
    const file = join(assetsDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, png);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const assetsDir = resolve(import.meta.dirname, '..', 'assets');
  for (const file of writeIcons(assetsDir)) console.log(`wrote ${file}`);
}
