/**
 * Runs @doyensec/electronegativity in-process, offline. The tool fetches translations
 * and Electron's release list over the network on every run; this build has no network
 * to spare (and CI must not reach out), so its HTTP client is replaced by one that
 * refuses at once, before anything is loaded. The checks themselves are all local.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));

export interface Finding {
  id: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  confidence: string;
  /** Relative to the scanned folder, i.e. to the repository root. */
  file: string;
  line: number;
  manualReview: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** Files the tool could not parse: a file it cannot read is a file it did not check. */
  errors: { file: string; message: string }[];
  /** URLs the tool tried to fetch (each refused). */
  refusedFetches: string[];
  checks: number;
}

const refusedFetches: string[] = [];
let offline = false;

function goOffline(): void {
  if (offline) return;
  const gotPath = require.resolve('got', { paths: [join(toolDir, 'dist', 'locales')] });
  const refuse = (url: unknown) => {
    refusedFetches.push(String(url));
    return Promise.reject(new Error('no network: electronegativity runs offline in Guardline'));
  };
  refuse.head = refuse;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: refuse } as NodeJS.Module;
  offline = true;
}

type RunnerIssue = {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: Finding['severity'] };
  confidence: { name: string };
  manualReview?: boolean;
};
type Runner = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string }[];
  issues: RunnerIssue[];
}>;

/** Copies `paths` (relative to `root`) into a scratch folder and scans that, so nothing else is read. */
export async function scan(root: string, paths: readonly string[]): Promise<ScanResult> {
  goOffline();
  const loaded = require(join(toolDir, 'dist', 'runner.js')) as { default?: Runner } & Runner;
  const run: Runner = loaded.default ?? loaded;
  const scratch = mkdtempSync(join(tmpdir(), 'guardline-electronegativity-'));
  const before = refusedFetches.length;
  try {
    for (const path of paths) cpSync(join(root, path), join(scratch, path), { recursive: true });
    const result = await run(
      { input: scratch, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, parserPlugins: [] },
      false,
    );
    return {
      findings: result.issues.map((issue) => ({
        id: issue.id,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        file: issue.file,
        line: issue.location.line,
        manualReview: issue.manualReview === true,
      })),
      errors: result.errors.map((e) => ({ file: e.file.slice(scratch.length + 1), message: e.message })),
      refusedFetches: refusedFetches.slice(before),
      checks: result.globalChecks + result.atomicChecks,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const RANK: Record<Finding['severity'], number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

export function atLeast(finding: Finding, severity: Finding['severity']): boolean {
  return RANK[finding.severity] >= RANK[severity];
}
