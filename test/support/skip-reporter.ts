/**
 * Vitest reporter that ends the run by saying which suites were skipped on purpose
 * (GUARDLINE_SKIP, see test/lab/components.ts), so a green summary never hides a suite
 * that did not run. Listed after the default reporter, so its lines come last.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter } from 'vitest/node';
import { FILES_NEEDING, skipped } from '../lab/components.ts';

export default class SkipReporter implements Reporter {
  private dir = mkdtempSync(join(tmpdir(), 'guardline-skips-'));
  private log = join(this.dir, 'skips.tsv');

  onInit(): void {
    writeFileSync(this.log, '');
    // Test workers are forked after this and inherit the variable.
    process.env.GUARDLINE_SKIP_LOG = this.log;
  }

  onTestRunEnd(): void {
    const lines = readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
    rmSync(this.dir, { recursive: true, force: true });
    const requested = process.env.GUARDLINE_SKIP?.trim();
    if (lines.length === 0 && !requested) return;
    const bySuite = new Map<string, Set<string>>();
    for (const component of skipped()) {
      const files = FILES_NEEDING[component];
      if (files) bySuite.set(component, new Set(files.map((f) => `${f} (left out of the run)`)));
    }
    for (const line of lines) {
      const [component, suite] = line.split('\t') as [string, string];
      bySuite.set(component, (bySuite.get(component) ?? new Set()).add(suite));
    }
    const out = [`\n skipped by GUARDLINE_SKIP=${requested ?? ''}:`];
    if (bySuite.size === 0) out.push('   (no suite in this run needed those components)');
    for (const [component, suites] of bySuite) out.push(`   ${component}: ${[...suites].join('; ')}`);
    process.stdout.write(out.join('\n') + '\n');
  }
}
