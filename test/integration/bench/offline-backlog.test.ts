/**
 * The benches' offline backlog with escalations (npm run bench mesh) must be what a console
 * logs with its escalation runner on: a console with the default policies that stores it
 * finds every matching threat already escalated (and acknowledged, and resolved) and starts
 * none itself, and no incident shows a conflict. Otherwise the mesh catch-up would measure
 * a peer re-escalating threats no real partition leaves unescalated.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';
import type { Incident } from '../../../src-shared/incident.ts';

const open: TestConsole[] = [];
afterAll(async () => {
  for (const c of open) await c.close();
  cleanupTestConsoles();
});

describe('offline backlog with escalations', () => {
  it("holds each matching threat's escalation as the runner writes it, so a console starts none of its own", async () => {
    const c = openTestConsole();
    open.push(c);
    const deviceId = c.core.store.getMeta('device_id')!;
    // 100 incidents: 0, 15, 30, … 90 are threats of high severity, which the default policy escalates.
    const backlog = offlineBacklog({
      count: 400,
      deviceId: 'backlog-device',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'a-drain',
      startMs: Date.now() - 1_000,
      escalations: true,
    });
    expect(backlog.events).toHaveLength(400 + 7 * 5);
    for (let i = 0; i < backlog.events.length; i += 20) c.core.store.append(backlog.events.slice(i, i + 20));

    const started = c.events('escalation.started');
    expect(started).toHaveLength(7);
    expect(started.filter((e) => e.deviceId === deviceId)).toEqual([]);
    const rows = c.core.store.db.prepare('SELECT status FROM escalations').all() as { status: string }[];
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill('resolved'));
    const docs = (c.core.store.db.prepare('SELECT doc FROM incidents').all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as Incident,
    );
    expect(docs).toHaveLength(100);
    expect(docs.flatMap((d) => d.conflicts)).toEqual([]);
    expect(docs.filter((d) => d.status === 'resolved').map((d) => d.title)).toHaveLength(7);
  });
});
