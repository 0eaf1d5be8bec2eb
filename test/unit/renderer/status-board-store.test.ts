import { describe, expect, it } from 'vitest';
import type { PushEventName } from '../../../src-shared/api.ts';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import {
  applyLinesChanged,
  createBoardStore,
  type BoardSnapshot,
} from '../../../src-renderer/features/status/model/board-store.ts';
import { lineView } from './status-fixtures.ts';

function board(lines = [lineView({ id: 'a' }), lineView({ id: 'b' })], fallbackActive = false): LineBoard {
  return {
    facility: { id: 'demo', name: 'Demo' },
    units: [{ id: 'avd-a', name: 'Avdelning A' }],
    lines,
    fallbackActive,
    reserveProcedure: 'Radio 3',
    demo: true,
  };
}

/**
 * A console that answers `lines.board` only when the test says so, and pushes when
 * the test says so: the order of replies and pushes is what the store must get right.
 */
function scriptedConsole() {
  const replies: ((b: LineBoard) => void)[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let calls = 0;
  const api = {
    call(method: string) {
      if (method !== 'lines.board') throw new Error(`unexpected ${method}`);
      calls++;
      return new Promise((resolve) => replies.push((value) => resolve({ ok: true, value })));
    },
    on(event: PushEventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  return {
    api: api as unknown as Parameters<typeof createBoardStore>[0],
    calls: () => calls,
    reply: async (b: LineBoard) => {
      replies.shift()!(b);
      await Promise.resolve();
      await Promise.resolve();
    },
    push: (event: PushEventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    listening: (event: PushEventName) => listeners.get(event)?.size ?? 0,
  };
}

const ready = (s: BoardSnapshot) => (s.status === 'ready' ? s.board : null);

describe('board store', () => {
  it('replaces changed lines in place and takes the pushed fallback flag', () => {
    const next = applyLinesChanged(board(), {
      lines: [lineView({ id: 'b', state: 'DOWN' }), lineView({ id: 'c' })],
      fallbackActive: true,
    });
    expect(next.lines.map((l) => `${l.id}:${l.state}`)).toEqual(['a:UP', 'b:DOWN', 'c:UP']);
    expect(next.fallbackActive).toBe(true);
  });

  it('loads the board on first subscribe and follows pushes', async () => {
    const c = scriptedConsole();
    const store = createBoardStore(c.api);
    const off = store.subscribe(() => undefined);
    expect(store.get()).toEqual({ status: 'loading' });
    await c.reply(board());
    c.push('lines.changed', { lines: [lineView({ id: 'a', state: 'DOWN' })], fallbackActive: true });
    expect(ready(store.get())?.lines[0]?.state).toBe('DOWN');
    expect(ready(store.get())?.fallbackActive).toBe(true);
    off();
    expect(c.listening('lines.changed')).toBe(0);
  });

  it('keeps a push that arrived while an older board was on its way', async () => {
    const c = scriptedConsole();
    const store = createBoardStore(c.api);
    store.subscribe(() => undefined);
    c.push('lines.changed', { lines: [lineView({ id: 'b', state: 'DOWN' })], fallbackActive: true });
    await c.reply(board()); // taken before the push: b still UP there
    expect(ready(store.get())?.lines.map((l) => l.state)).toEqual(['UP', 'DOWN']);
    expect(ready(store.get())?.fallbackActive).toBe(true);
  });

  it('asks again when a reload was requested while one was in flight', async () => {
    const c = scriptedConsole();
    const store = createBoardStore(c.api);
    store.subscribe(() => undefined);
    c.push('config.changed', {});
    expect(c.calls()).toBe(1);
    await c.reply(board());
    expect(c.calls()).toBe(2);
    await c.reply(board([lineView({ id: 'new' })]));
    expect(ready(store.get())?.lines.map((l) => l.id)).toEqual(['new']);
  });

  it('shares one subscription to the console between many views', async () => {
    const c = scriptedConsole();
    const store = createBoardStore(c.api);
    const offs = [store.subscribe(() => undefined), store.subscribe(() => undefined)];
    expect(c.calls()).toBe(1);
    expect(c.listening('lines.changed')).toBe(1);
    offs[0]!();
    expect(c.listening('lines.changed')).toBe(1);
    offs[1]!();
    expect(c.listening('lines.changed')).toBe(0);
  });
});
