import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFacilityConfig } from '../../../src-shared/facility-config.ts';

const example = readFileSync(join(import.meta.dirname, '../../../assets/guardline.config.example.jsonc'), 'utf8');
const FILE = '/etc/guardline/guardline.config.json';

/** Every answer is a config or one error naming the file and a JSON path — never a throw. */
function expectTypedAnswer(text: string) {
  const result = parseFacilityConfig(text, FILE);
  if (result.ok) return;
  expect(result.error.file).toBe(FILE);
  expect(result.error.path).toMatch(/^(\(root\)|[A-Za-z_][\w]*(\[\d+\]|\.[\w-]+)*)$/);
  expect(result.error.message.length).toBeGreaterThan(0);
}

describe('facility config loader fuzzing', () => {
  it('answers arbitrary text with a typed error, never a crash', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), expectTypedAnswer), { numRuns: 2000, seed: 20261125 });
  });

  it('answers arbitrary JSON values with a typed error naming a JSON path', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => expectTypedAnswer(JSON.stringify(v))),
      {
        numRuns: 2000,
        seed: 20261125,
      },
    );
  });

  it('answers the shipped example cut or corrupted anywhere with a typed error or a valid config', () => {
    expect(parseFacilityConfig(example, FILE).ok).toBe(true);
    fc.assert(
      fc.property(fc.nat(example.length), fc.nat(example.length), fc.string({ maxLength: 8 }), (at, len, insert) =>
        expectTypedAnswer(example.slice(0, at) + insert + example.slice(Math.min(example.length, at + (len % 40)))),
      ),
      { numRuns: 2000, seed: 20261125 },
    );
  });
});
