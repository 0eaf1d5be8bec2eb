/**
 * A received event handed to the append with its author hash and a chain guess but without its
 * canonical text (the mesh frame worker keeps the text where it sends the hash, issue 12m): a
 * right guess is taken as it is, and a stale one is chained here from the event itself, so the
 * log's chain holds either way and each row keeps the author hash it came with.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chainHashOf } from '../../../src-common/chain-hash.ts';
import { authorHashOf } from '../../../src-common/trust/index.ts';
import { canonicalEvent, openEventStore, GENESIS_HASH } from '../../../src-main/core/store/event-store.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { signAsAuthor } from '../../support/device-keys.ts';
import { authoredNote } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('an append given author hashes and chain guesses without canonical texts', () => {
  it('takes a right guess, chains a stale one from the event, and keeps each author hash', () => {
    const store = openEventStore(join(dir.path, 'no-text.sqlite'));
    const [a, b, c] = [1, 2, 3].map((n) => signAsAuthor(authoredNote(n, 1_765_000_000_000 + n)));
    const prepared = (e: EventEnvelope, prevHash: string) => ({
      authorHash: authorHashOf(canonicalEvent(e), e.sig!),
      chain: { prevHash, hash: chainHashOf(prevHash, canonicalEvent(e)) },
    });
    const pa = prepared(a!, GENESIS_HASH);
    const pb = prepared(b!, pa.chain.hash);
    // Chained from a head that is not the log's by then: not taken.
    const pc = prepared(c!, GENESIS_HASH);
    const first = store.append([a!, b!], {
      received: true,
      prepared: new Map([
        [a!, pa],
        [b!, pb],
      ]),
    });
    expect(first.stored.map((e) => e.hash)).toEqual([pa.chain.hash, pb.chain.hash]);
    const second = store.append([c!], { received: true, prepared: new Map([[c!, pc]]) });
    expect(second.stored[0]!.prevHash).toBe(pb.chain.hash);
    expect(second.stored[0]!.hash).toBe(chainHashOf(pb.chain.hash, canonicalEvent(c!)));
    expect(store.verifyChain()).toEqual({ ok: true, checked: 3, firstBroken: null });
    expect([a, b, c].map((e) => store.authorHashAt(e!.deviceId, e!.deviceSeq!))).toEqual([
      pa.authorHash,
      pb.authorHash,
      pc.authorHash,
    ]);
    store.close();
  });
});
