/**
 * Real components the suites need, and the one way to run without one: naming it in
 * GUARDLINE_SKIP (comma-separated, e.g. `GUARDLINE_SKIP=postgres,kamailio npm test`).
 * A suite whose component is missing fails, in CI or not, because a skip nobody asked
 * for hides a broken lab; an opted-out suite is skipped and listed at the end of the run
 * by the skip reporter (test/support/skip-reporter.ts), which reads the lines written
 * here to the file named in GUARDLINE_SKIP_LOG.
 */
import { appendFileSync } from 'node:fs';

export const COMPONENTS = {
  postgres: 'PostgreSQL server binaries (apt-get install -y postgresql)',
  kamailio: 'Kamailio and sipp (apt-get install -y --no-install-recommends kamailio sip-tester)',
  fault: 'the fault campaign (PostgreSQL, tracker kills and a fault proxy; ~90 s)',
  chromium: 'Chromium for the browser-host and PDF tests (apt-get install -y chromium)',
  netns: 'network namespaces for the mDNS discovery test (root and iproute2: ip netns add)',
} as const;
export type Component = keyof typeof COMPONENTS;

/** Test files that need a component as a whole: opting out leaves them out of the run (vitest.config.ts). */
export const FILES_NEEDING: Partial<Record<Component, string[]>> = {
  chromium: ['test/e2e/**', 'test/integration/reports/report-pdf.test.ts'],
};

/** The components named in GUARDLINE_SKIP; an unknown name is an error naming the variable. */
export function skipped(env: NodeJS.ProcessEnv = process.env): Set<Component> {
  const names = (env.GUARDLINE_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in COMPONENTS));
  if (unknown.length > 0)
    throw new Error(
      `GUARDLINE_SKIP: unknown component ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `known: ${Object.keys(COMPONENTS).join(', ')}`,
    );
  return new Set(names as Component[]);
}

/**
 * True when `suite` should run. False when the person running the tests opted out of
 * `component` by name (recorded for the summary). Throws when the component is missing
 * and nobody opted out. `missing` says what is absent, or null when all is there.
 */
export function requireComponent(component: Component, suite: string, missing: string | null): boolean {
  if (skipped().has(component)) {
    const log = process.env.GUARDLINE_SKIP_LOG;
    if (log) appendFileSync(log, `${component}\t${suite}\n`);
    return false;
  }
  if (missing === null) return true;
  throw new Error(
    `${suite} needs ${COMPONENTS[component]}: ${missing}. ` +
      `Install it, or skip these tests by name: GUARDLINE_SKIP=${component}`,
  );
}
