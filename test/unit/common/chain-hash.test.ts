import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHashOf, sha256OfJoined } from '../../../src-common/chain-hash.ts';
import { authorHashOf } from '../../../src-common/trust/index.ts';
import { authorSignedForm } from '../../../src-shared/signed-envelope.ts';

const reference = (text: string, encoding: 'hex' | 'base64url') =>
  createHash('sha256').update(text, 'utf8').digest(encoding);

// Texts a log holds: ASCII, Swedish letters, an emoji (a surrogate pair), a lone surrogate
// (written as U+FFFD either way), and one longer than the kept buffer's first size.
const texts = [
  '{"type":"incident.note_added"}',
  '{"title":"Bråk i matsalen, Märsta","text":"Uppföljning klar"}',
  '{"text":"🚨 larm 🚑"}',
  'lone \ud800 surrogate',
  `{"notes":"${'åäö 🚨 '.repeat(3_000)}"}`,
  '',
];
const prev = 'a'.repeat(64);
const sig = 'S'.repeat(86);

describe('the log and author hashes (chain-hash.ts)', () => {
  it('give the digest of the texts joined, whatever the texts held and in any order of lengths', () => {
    // Long after short and short after long: the kept buffer grows and is written again.
    for (const order of [texts, [...texts].reverse()]) {
      for (const text of order) {
        expect(chainHashOf(prev, text)).toBe(reference(prev + text, 'hex'));
        expect(authorHashOf(text, sig)).toBe(reference(authorSignedForm(text, sig), 'base64url'));
        expect(sha256OfJoined('hex', text, '\n', text, 'ö')).toBe(reference(`${text}\n${text}ö`, 'hex'));
      }
    }
  });
});
