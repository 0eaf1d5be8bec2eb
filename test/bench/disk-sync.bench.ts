/**
 * How this disk's fdatasync cost grows with the bytes one commit writes (issue 16, round
 * 16l). A durable incident command writes ~9.6 WAL frames of 4,120 bytes (~40 KB) and
 * fdatasyncs once; the floor writes 300 bytes. Whether fewer or smaller pages can pay, and
 * what a commit that grows the WAL file costs over one that overwrites it, depends on this
 * curve, so it is measured rather than assumed:
 *
 * - overwrite: N bytes written in place inside a preallocated, already synced file (as a
 *   WAL overwritten from its start after a restart), then fdatasync;
 * - append: N bytes written at the end of a file that grows (as a WAL that is longer after
 *   every commit), then fdatasync, which then also commits the file's new size.
 *
 * The cells take turns in ROUNDS rounds, starting one place later each round, so a machine
 * busy with other work slows them alike (as in store.bench.ts).
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../support/temp.ts';
import { percentile, progress, round, type BenchOptions, type BenchRow } from './report.ts';

/** Bytes per commit: the floor's line, one page, two, four, and about one incident command's WAL. */
export const SIZES = [300, 4096, 8192, 16_384, 40_960] as const;
const MODES = ['overwrite', 'append'] as const;
/** The preallocated file is overwritten cyclically within this many bytes (a WAL of a few MB). */
const REGION = 8 * 2 ** 20;

const label = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${bytes / 1024} KiB`);

export async function diskSyncBench(options: BenchOptions = { quick: false }): Promise<{
  rows: BenchRow[];
  detail: unknown;
}> {
  const SAMPLES = options.quick ? 200 : 1000;
  const WARMUP = options.quick ? 20 : 100;
  const ROUNDS = 4;
  const PER_ROUND = (SAMPLES + WARMUP) / ROUNDS;
  const dir = tempDir('guardline-disk-');
  try {
    const cells = SIZES.flatMap((bytes) =>
      MODES.map((mode) => {
        const file = join(dir.path, `${mode}-${bytes}.bin`);
        const fd = openSync(file, mode === 'append' ? 'a' : 'w+');
        if (mode === 'overwrite') {
          const zero = Buffer.alloc(2 ** 20);
          for (let at = 0; at < REGION; at += zero.length) writeSync(fd, zero, 0, zero.length, at);
          fsyncSync(fd);
        }
        return { bytes, mode, fd, data: Buffer.alloc(bytes, 'x'), n: 0, samples: [] as number[] };
      }),
    );
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < cells.length; k++) {
        const c = cells[(k + r) % cells.length]!;
        for (let i = 0; i < PER_ROUND; i++, c.n++) {
          const position = c.mode === 'overwrite' ? (c.n * c.bytes) % (REGION - c.bytes) : null;
          const t = performance.now();
          writeSync(c.fd, c.data, 0, c.bytes, position);
          fdatasyncSync(c.fd);
          const ms = performance.now() - t;
          if (c.n >= WARMUP) c.samples.push(ms);
        }
        // Let the event loop turn between cells, as the other benches do between contenders.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      progress('disk-sync rounds', r + 1, ROUNDS);
    }
    for (const c of cells) closeSync(c.fd);

    const p = (xs: number[], q: number) => round(percentile(xs, q));
    const floor = cells.find((c) => c.mode === 'overwrite' && c.bytes === 300)!;
    const floorP50 = p(floor.samples, 50);
    const floorP99 = p(floor.samples, 99);
    const rows: BenchRow[] = cells.flatMap((c) => {
      const what = c.mode === 'overwrite' ? 'overwrite in a preallocated file' : 'append to a growing file';
      const isFloor = c === floor;
      return [
        {
          metric: `${label(c.bytes)} ${what} + fdatasync p50`,
          value: p(c.samples, 50),
          unit: 'ms',
          ...(isFloor ? {} : { baseline: { name: 'floor (300 B overwrite) p50', value: floorP50 } }),
        },
        {
          metric: `${label(c.bytes)} ${what} + fdatasync p99`,
          value: p(c.samples, 99),
          unit: 'ms',
          ...(isFloor ? {} : { baseline: { name: 'floor (300 B overwrite) p99', value: floorP99 } }),
        },
      ];
    });
    const detail = {
      samplesPerCell: SAMPLES,
      warmupPerCell: WARMUP,
      rounds: ROUNDS,
      overwriteRegionBytes: REGION,
      cells: cells.map((c) => ({
        bytes: c.bytes,
        mode: c.mode,
        p50: p(c.samples, 50),
        p90: p(c.samples, 90),
        p99: p(c.samples, 99),
        max: p(c.samples, 100),
      })),
    };
    return { rows, detail };
  } finally {
    dir.cleanup();
  }
}
