import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsoleCore, type ConsoleCore } from '../../../src-main/core/console-core.ts';
import type { CallResult } from '../../../src-shared/transport.ts';
import type { IncidentListInput } from '../../../src-shared/api.ts';
import {
  createIncidentPages,
  pagesFor,
  type IncidentPages,
} from '../../../src-renderer/features/incidents/incident-pages.ts';

/** A small page size keeps the real store quick while exercising many pages. */
const PAGE = 10;
const COUNT = 35;

let dir: string;
let core: ConsoleCore;
const asked: IncidentListInput[] = [];

const listPage = async (input: IncidentListInput) => {
  asked.push(input);
  return (await core.dispatch('incidents.list', input, {
    actor: 'test',
    origin: 'test',
  })) as CallResult<'incidents.list'>;
};

async function create(title: string, category = 'technical') {
  const result = await core.dispatch(
    'incidents.create',
    {
      facility: 'Anstalt X',
      unit: 'Avdelning B',
      category,
      severity: 'low',
      title,
      occurredAt: '2026-11-25T21:14:00+01:00',
      reportedBy: 'K. Ek',
    },
    { origin: 'test' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { id: string };
}

function settled(pages: IncidentPages, done: () => boolean): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = pages.subscribe(() => {
      if (done()) {
        off();
        resolve();
      }
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-pages-'));
  core = createConsoleCore({
    dataFile: join(dir, 'guardline.sqlite'),
    host: 'test',
    appVersion: '0.0.0',
    facility: 'Anstalt X',
    unit: 'Avdelning B',
    sync: { start: false },
  });
  // Reading and logging incidents needs someone signed in; a fresh console takes a first admin.
  const admin = await core.dispatch(
    'auth.bootstrapAdmin',
    { staffNumber: 'G1', name: 'Test', pin: '1234' },
    { origin: 'test' },
  );
  if (!admin.ok) throw new Error(admin.error.message);
  for (let i = 0; i < COUNT; i++) await create(`Incident ${i}`, i % 5 === 0 ? 'fire' : 'technical');
});

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('incident pages', () => {
  it('covers the visible rows plus one page on each side', () => {
    expect(pagesFor(0, 9, 10)).toEqual([0, 1]);
    expect(pagesFor(25, 38, 10)).toEqual([1, 2, 3, 4]);
  });

  it('loads only the pages around the visible rows, newest first, with the total', async () => {
    asked.length = 0;
    const pages = createIncidentPages(listPage, PAGE);
    pages.setFilter({});
    await settled(pages, () => pages.row(0) !== undefined && pages.row(PAGE) !== undefined);
    expect(pages.total()).toBe(COUNT);
    expect(pages.row(0)?.title).toBe(`Incident ${COUNT - 1}`);
    expect(pages.row(PAGE)?.title).toBe(`Incident ${COUNT - 1 - PAGE}`);
    expect(pages.row(3 * PAGE)).toBeUndefined();
    expect(asked.map((a) => a.offset)).toEqual([0, PAGE]);
  });

  it('fetches further pages as the window scrolls, and never past the end', async () => {
    const pages = createIncidentPages(listPage, PAGE);
    pages.setFilter({});
    await settled(pages, () => pages.total() !== null);
    asked.length = 0;
    pages.ensure(30, 34);
    await settled(pages, () => pages.row(34) !== undefined);
    expect(pages.row(34)?.title).toBe('Incident 0');
    expect(asked.map((a) => a.offset ?? -1).sort((a, b) => a - b)).toEqual([20, 30]);
  });

  it('applies filters and starts over from the first page', async () => {
    const pages = createIncidentPages(listPage, PAGE);
    pages.setFilter({ category: ['fire'] });
    await settled(pages, () => pages.total() !== null);
    expect(pages.total()).toBe(7);
    expect(pages.row(0)?.category).toBe('fire');
  });

  it('keeps showing old rows during a refresh and then shows the new incident on top', async () => {
    const pages = createIncidentPages(listPage, PAGE);
    pages.setFilter({});
    await settled(pages, () => pages.total() !== null);
    const before = pages.row(0)?.id;
    const added = await create('Brand i tvättstugan');
    pages.refresh();
    expect(pages.row(0)?.id).toBe(before); // stale row still shown while the page reloads
    await settled(pages, () => pages.row(0)?.id === added.id);
    expect(pages.indexOf(before!)).toBe(1);
    expect(pages.total()).toBe(COUNT + 1);
  });

  it('collapses a burst of refreshes into one extra round of queries', async () => {
    const pages = createIncidentPages(listPage, PAGE);
    pages.setFilter({});
    await settled(pages, () => pages.total() !== null && pages.row(PAGE) !== undefined);
    asked.length = 0;
    for (let i = 0; i < 20; i++) pages.refresh();
    await settled(pages, () => asked.length >= 4 && pages.row(0) !== undefined);
    // first refresh: pages 0 and 1; the 19 others during it: one more round of pages 0 and 1
    expect(asked.map((a) => a.offset)).toEqual([0, PAGE, 0, PAGE]);
  });

  it('reports a failed page as an error value and recovers on the next ensure', async () => {
    let fail = true;
    const flaky = async (input: IncidentListInput): Promise<CallResult<'incidents.list'>> =>
      fail ? { ok: false, error: { code: 'disconnected', message: 'down' } } : listPage(input);
    const pages = createIncidentPages(flaky, PAGE);
    pages.setFilter({});
    await settled(pages, () => pages.error() !== null);
    expect(pages.error()?.code).toBe('disconnected');
    fail = false;
    pages.ensure(0, 5);
    await settled(pages, () => pages.row(0) !== undefined);
    expect(pages.error()).toBeNull();
  });
});
