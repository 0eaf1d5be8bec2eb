/**
 * README's reliability and performance tables are rendered from bench/results/*.json:
 * this fails when someone edits a figure by hand or a run wrote new results without
 * re-rendering (fix: `node scripts/results-tables.ts`).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderedReadme } from '../../../scripts/results-tables.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'guardline-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README results tables', () => {
  it('match the JSON files the benches and campaigns wrote', async () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe(await renderedReadme(root));
  });

  it('change when a figure in the JSON changes (the check above can fail)', async () => {
    for (const f of ['README.md', '.prettierrc.json', 'bench'])
      cpSync(join(root, f), join(scratch, f), { recursive: true });
    const file = join(scratch, 'bench', 'results', 'store.json');
    const store = JSON.parse(readFileSync(file, 'utf8')) as { rows: { value: number }[] };
    store.rows[0]!.value = 123456.789;
    writeFileSync(file, JSON.stringify(store));
    const rendered = await renderedReadme(scratch);
    expect(rendered).not.toBe(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(rendered).toContain('123,456.789');
  });
});
