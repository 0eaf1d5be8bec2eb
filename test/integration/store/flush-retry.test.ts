/**
 * A `flushLater` append whose WAL sync fails (a disk error) stays held — not announced, not
 * shareable — and the store tries the sync again; it is never let out unsynced, and a sweep
 * waiting on it is not left waiting for ever. The disk error is the one thing faked here:
 * the first open of the WAL for its sync fails.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type * as fsPromises from 'node:fs/promises';

const failures = vi.hoisted(() => ({ left: 1, seen: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  return {
    ...real,
    open: (path: Parameters<typeof real.open>[0], ...rest: unknown[]) => {
      if (String(path).endsWith('-wal') && failures.left > 0) {
        failures.left -= 1;
        failures.seen += 1;
        return Promise.reject(Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' }));
      }
      return (real.open as (...args: unknown[]) => ReturnType<typeof real.open>)(path, ...rest);
    },
  };
});

const { openEventStore } = await import('../../../src-main/core/store/event-store.ts');
const { encodeHlc } = await import('../../../src-shared/hlc.ts');
const { tempDir } = await import('../../support/temp.ts');

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('a flushLater append whose sync fails', () => {
  it('stays held until a later sync succeeds, then is announced', async () => {
    const store = openEventStore(join(dir.path, 'retry.sqlite'));
    const heard: number[][] = [];
    store.onCommitted((r) => heard.push(r.stored.map((e) => e.seq)));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      store.append(
        [
          {
            id: '019ab000-0000-7000-8000-000000000001',
            streamId: 'stream-1',
            type: 'incident.note_added',
            payload: { noteId: '019ab000-0000-7000-8000-0000000000ff', text: 'note' },
            actor: 'V1',
            deviceId: 'dev-a',
            deviceTime: 1,
            hlc: encodeHlc({ wallMs: 1, counter: 0, node: 'dev-a' }),
          },
        ],
        { flushLater: true },
      );
      await vi.waitFor(() => expect(failures.seen).toBe(1));
      expect(heard).toEqual([]);
      expect(store.shareableThrough()).toBe(0);
      expect(store.outboxCount()).toBe(0);
      await store.flushed();
      expect(heard).toEqual([[1]]);
      expect(store.outboxCount()).toBe(1);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('syncing the log failed'), expect.anything());
    } finally {
      errors.mockRestore();
      store.close();
    }
  });
});
