import { afterEach, describe, expect, it, vi } from 'vitest';
import { IncidentCreateInput } from '../../../src-shared/api.ts';
import { join } from 'node:path';
import { createConsoleCore, type ConsoleCore } from '../../../src-main/core/console-core.ts';
import { createApp } from '../../../src-main/core/app.ts';
import { compareHlc } from '../../../src-shared/hlc.ts';
import type { CallContext } from '../../../src-main/core/app.ts';
import { tempDir } from '../../support/temp.ts';
import { incidentInput } from '../../support/incidents.ts';

const ctx: CallContext = { actor: 'V1234', origin: 'test' };
const dirs: { cleanup(): void }[] = [];
const cores: ConsoleCore[] = [];

/** A console with V1234 signed in (the first run creates V1234 as its admin). No escalation policies: these tests are about dispatch and incidents. */
async function open(dataFile?: string, wallClock?: () => number) {
  const dir = tempDir();
  dirs.push(dir);
  const core = createConsoleCore({
    dataFile: dataFile ?? join(dir.path, 'console.sqlite'),
    host: 'test',
    appVersion: '0.0.0-test',
    facility: 'Märsta',
    unit: 'Avdelning B',
    escalationPolicies: [],
    pinParams: { N: 1024, r: 8, p: 1 },
    ...(wallClock ? { wallClock } : {}),
  });
  cores.push(core);
  const first = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'V1234', name: 'Vakt', pin: '2468' }, ctx);
  const signedIn = first.ok ? first : await core.dispatch('auth.signIn', { staffNumber: 'V1234', pin: '2468' }, ctx);
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  return core;
}

afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('console dispatch', () => {
  it('rejects an unknown method with a typed error', async () => {
    const result = await (await open()).dispatch('incidents.delete', {}, ctx);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_method' }) });
  });

  it('names the offending field when input is invalid, and stores nothing', async () => {
    const core = await open();
    const result = await core.dispatch(
      'incidents.create',
      incidentInput({ severity: 'apocalyptic' as never, title: '' }),
      ctx,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues?.map((i) => i.field).sort()).toEqual(['severity', 'title']);
    const list = await core.dispatch('incidents.list', {}, ctx);
    expect(list).toEqual({ ok: true, value: { items: [], total: 0 } });
  });

  it('takes an ordinary create without running its zod schema, trimmed as zod trims, and still names a bad field (16u)', async () => {
    const core = await open();
    const safeParse = vi.spyOn(IncidentCreateInput, 'safeParse');
    try {
      const created = await core.dispatch('incidents.create', incidentInput({ title: '  Hot i matsalen  ' }), ctx);
      expect(created.ok).toBe(true);
      expect(safeParse).not.toHaveBeenCalled();
      if (created.ok) expect((created.value as { title: string }).title).toBe('Hot i matsalen');
      const refused = await core.dispatch('incidents.create', incidentInput({ title: '   ' }), ctx);
      expect(safeParse).toHaveBeenCalledTimes(1);
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'title' } });
    } finally {
      safeParse.mockRestore();
    }
  });

  it('creates an incident, lists it, and records the actor and both clocks in its event', async () => {
    const core = await open();
    const created = await core.dispatch('incidents.create', incidentInput(), ctx);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const incident = created.value as { id: string; status: string };
    expect(incident.status).toBe('open');
    const detail = await core.dispatch('incidents.get', { id: incident.id }, ctx);
    if (!detail.ok) throw new Error(detail.error.message);
    const [event] = (detail.value as { timeline: { actor: string; deviceTime: number; hlc: string }[] }).timeline;
    expect(event).toMatchObject({
      actor: 'V1234',
      deviceTime: expect.any(Number),
      hlc: expect.stringMatching(/^\d{15}-\d{6}-/),
    });
  });

  it('treats a retried create with the same id as the same incident', async () => {
    const core = await open();
    const id = '019ab000-0000-7000-8000-000000000001';
    await core.dispatch('incidents.create', incidentInput({ id }), ctx);
    await core.dispatch('incidents.create', incidentInput({ id }), ctx);
    const list = await core.dispatch('incidents.list', {}, ctx);
    expect(list.ok && list.value).toMatchObject({ total: 1 });
  });

  it('refuses an illegal status change with the field named, and allows the legal path', async () => {
    const core = await open();
    const created = await core.dispatch('incidents.create', incidentInput(), ctx);
    const id = (created.ok && (created.value as { id: string }).id) as string;
    const illegal = await core.dispatch('incidents.setStatus', { id, to: 'closed' }, ctx);
    expect(illegal).toEqual({ ok: false, error: expect.objectContaining({ code: 'illegal_transition', field: 'to' }) });
    for (const to of ['acknowledged', 'escalated', 'resolved', 'closed']) {
      const r = await core.dispatch('incidents.setStatus', { id, to }, ctx);
      expect(r.ok).toBe(true);
    }
  });

  it('finds incidents by any word, prefix or diacritic-free spelling', async () => {
    const core = await open();
    await core.dispatch('incidents.create', incidentInput(), ctx);
    await core.dispatch(
      'incidents.create',
      incidentInput({ title: 'Brandlarm i tvättstugan', category: 'fire', description: '', peopleInvolved: [] }),
      ctx,
    );
    const search = async (query: string) => {
      const r = await core.dispatch('incidents.list', { query }, ctx);
      return r.ok ? (r.value as { items: { title: string }[] }).items.map((i) => i.title) : r.error.message;
    };
    expect(await search('overfall')).toEqual(['Hot mot personal vid matsalen']);
    expect(await search('tvätt')).toEqual(['Brandlarm i tvättstugan']);
    expect(await search('"; DROP TABLE incidents; --')).toEqual([]);
    expect(await search('andersson')).toEqual(['Hot mot personal vid matsalen']);
  });

  it('pushes incidents.changed to subscribers only after the command committed', async () => {
    const core = await open();
    const seen: string[] = [];
    core.subscribe((name, payload) => {
      const ids = (payload as { ids: string[] }).ids;
      const row = core.store.db.prepare('SELECT id FROM incidents WHERE id = ?').get(ids[0]);
      seen.push(`${name}:${row ? 'committed' : 'missing'}`);
    });
    await core.dispatch('incidents.create', incidentInput(), ctx);
    expect(seen).toEqual(['incidents.changed:committed']);
  });

  it('keeps incidents and a monotonic clock across a restart even when the wall clock went back', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'c.sqlite');
    const first = await open(file, () => 2_000_000_000_000);
    const created = await first.dispatch('incidents.create', incidentInput(), ctx);
    const before = created.ok ? (created.value as { createdHlc: string }).createdHlc : '';
    first.close();
    const second = await open(file, () => 1_000_000_000_000);
    const again = await second.dispatch('incidents.create', incidentInput({ title: 'Efter omstart' }), ctx);
    const after = again.ok ? (again.value as { createdHlc: string }).createdHlc : '';
    expect(compareHlc(before, after)).toBe(-1);
    const list = await second.dispatch('incidents.list', {}, ctx);
    expect(list.ok && (list.value as { items: { title: string }[] }).items.map((i) => i.title)).toEqual([
      'Efter omstart',
      'Hot mot personal vid matsalen',
    ]);
  });

  it('refuses to register one method twice', () => {
    expect(() =>
      createApp([
        { name: 'a', handlers: { 'system.info': () => ({}) as never } },
        { name: 'b', handlers: { 'system.info': () => ({}) as never } },
      ]),
    ).toThrow(/system.info registered by both a and b/);
  });
});
