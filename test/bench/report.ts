/** Shared by every benchmark: percentiles, a printed table, and a JSON file in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, when there is one. */
  baseline?: { name: string; value: number };
  /** The target from DESIGN.md section 9, in words, and whether it was met. */
  target?: string;
  pass?: boolean;
}

/** `npm run bench -- --quick`: fewer samples and rounds, a one-minute check rather than a result. */
export interface BenchOptions {
  quick: boolean;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function progress(label: string, done: number, total: number): void {
  if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) {
    process.stderr.write(`  ${label}: ${done}/${total}\n`);
  }
}

export function writeResults(
  suite: string,
  rows: BenchRow[],
  extra: Record<string, unknown> = {},
  options: BenchOptions = { quick: false },
): string {
  // Quick checks go beside the results, never over them (README renders bench/results/*.json only).
  const dir = join(process.cwd(), 'bench', 'results', ...(options.quick ? ['quick'] : []));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
  };
  writeFileSync(file, JSON.stringify({ suite, at: new Date().toISOString(), machine, rows, ...extra }, null, 2) + '\n');
  return file;
}

export function printTable(suite: string, rows: BenchRow[]): void {
  console.log(`\n${suite}`);
  console.table(
    rows.map((r) => ({
      metric: r.metric,
      value: `${r.value} ${r.unit}`,
      baseline: r.baseline ? `${r.baseline.name}: ${r.baseline.value} ${r.unit}` : '',
      target: r.target ?? '',
      result: r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
    })),
  );
}
