import { defineConfig } from 'vitest/config';
import { FILES_NEEDING, skipped } from './test/lab/components.ts';

// GUARDLINE_SKIP=<component,...> is the only way to run without a real component; the skip
// reporter lists what was skipped at the end of the run (test/lab/components.ts).
const optedOut = [...skipped()].flatMap((c) => FILES_NEEDING[c] ?? []);

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'test/bench/**', ...optedOut],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/support/skip-reporter.ts'],
  },
});
