/**
 * Long work never stalls the console (issue 16): the chain check, reports, exports, search
 * and the audit query run in a worker with its own read-only connection to the real
 * SQLite file, and give exactly what the same code gives in-thread; long jobs push their
 * progress; the core's thread keeps running timers while a long job runs; a dead worker
 * fails its job with a clear error and a new one takes the next; retention archives in
 * slices with turns of the event loop between them.
 */
import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainReport } from '../../../src-shared/api.ts';
import { LEDGER_PAGE_ROWS, type PeriodReportView } from '../../../src-shared/figures-report.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { inThreadReadJobs, workerReadJobs, type ReadJobs } from '../../../src-main/core/jobs/job-runner.ts';
import { READER_NICE, type ReadJobInput, type ReadJobName } from '../../../src-main/core/jobs/read-jobs.ts';
import { FIRST_SLICE } from '../../../src-main/core/retention/retention.ts';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentCreated } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';
import { FACILITY, at } from '../../unit/reports/fixtures.ts';
import { alwaysUp, outageDay, writeReportConfig } from '../reports/report-lab.ts';

const O1 = '01900000-0000-7000-8000-0000000000d1';
const O2 = '01900000-0000-7000-8000-0000000000d2';
const DAY = { from: at(0), to: at(24) };

const consoles: TestConsole[] = [];
const dirs: { cleanup(): void }[] = [];
const readers: ReadJobs[] = [];
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
  for (const c of consoles.splice(0)) await c.close();
  cleanupTestConsoles();
  for (const d of dirs.splice(0)) d.cleanup();
});

async function open(options: Parameters<typeof openTestConsole>[0] = {}): Promise<TestConsole> {
  const dir = tempDir('guardline-reader-');
  dirs.push(dir);
  const config = join(dir.path, 'guardline.config.json');
  writeReportConfig(config);
  // No escalation policies: thousands of seeded incidents would otherwise each start one.
  const c = openTestConsole({
    telephony: { configFile: config, runProbe: alwaysUp },
    escalationPolicies: [],
    ...options,
  });
  consoles.push(c);
  await c.core.ready;
  return c;
}

/** `count` incidents straight into the log, as a sync pull would bring them, 1,000 per transaction. */
function seedIncidents(c: TestConsole, count: number, overrides: Parameters<typeof incidentCreated>[0] = {}) {
  for (let done = 0; done < count; done += 1000) {
    const n = Math.min(1000, count - done);
    c.core.store.append(
      Array.from({ length: n }, (_, i) =>
        incidentCreated({ ...overrides, title: `${overrides.title ?? 'Larm vid grind'} ${done + i}` }),
      ),
    );
  }
}

function progressOf(c: TestConsole, method: string) {
  return c.pushes
    .filter((p) => p.name === 'jobs.progress')
    .map((p) => p.payload as { job: string; method: string; done: number; total: number })
    .filter((p) => p.method === method);
}

describe('the background reader', () => {
  it('gives the same answers as the in-thread reads, on a real SQLite file being written to', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    c.core.store.append(outageDay(O1, O2));
    seedIncidents(c, 300, { title: 'Brand i tvättstugan' });
    seedIncidents(c, 200, { title: 'Telefonen tyst', category: 'other' });
    // The search index trails the commits by up to a second; incidents.list brings it up to
    // date before it asks the reader (incidents/app.ts), and so does this test.
    c.core.store.catchUpDeferred();
    // Answers' long arrays cross in parts of 7 rows here, so the split and join are exercised.
    const worker = workerReadJobs({ file: c.file, log: () => undefined, partRows: 7 });
    readers.push(worker);
    const inThread = inThreadReadJobs(c.core.store.db);
    const request = {
      facility: { id: FACILITY, name: 'Kumla' },
      args: { from: DAY.from, to: DAY.to, noResponseHours: 4, bucket: undefined },
      asOf: at(30),
    };
    const incidents = c.core.store.streamEvents(
      c.core.store.db.prepare('SELECT id FROM incidents LIMIT 1').pluck().get() as string,
    );
    const cases: { [K in ReadJobName]: ReadJobInput<K>[] } = {
      chain: [null],
      report: [request, { ...request, args: { ...request.args, bucket: 'hour' } }],
      ledgerPage: [
        { request, offset: 0, limit: 50 },
        { request, offset: 1, limit: 1 },
        { request, offset: 5, limit: 10 },
      ],
      tmf621File: [], // writes a file: compared below

      outageCount: [request],
      incidents: [
        { limit: 200, offset: 0 },
        { query: 'brand', limit: 50, offset: 10 },
        { query: 'tyst', category: ['other'], limit: 1000, offset: 0 },
        { status: ['open'], severity: ['high'], limit: 20, offset: 480 },
      ],
      audit: [{ limit: 100 }, { incidentId: incidents[0]!.streamId, limit: 10 }, { staffNumber: 'A1', limit: 5 }],
    };
    for (const [job, inputs] of Object.entries(cases) as [ReadJobName, never[]][]) {
      for (const input of inputs) {
        const [a, b] = await Promise.all([worker.run(job, input), inThread.run(job, input)]);
        expect(a, `${job} ${JSON.stringify(input)}`).toEqual(b);
      }
    }
    // The TMF621 file the worker writes is the one the in-thread path writes, and is the tickets as JSON.
    const files = [join(dirname(c.file), 'exports', 'worker.json'), join(dirname(c.file), 'exports', 'in-thread.json')];
    const [fromWorker, fromThread] = await Promise.all([
      worker.run('tmf621File', { request, file: files[0]! }),
      inThread.run('tmf621File', { request, file: files[1]! }),
    ]);
    expect(fromWorker).toEqual(fromThread);
    const text = readFileSync(files[0]!, 'utf8');
    expect(text).toBe(readFileSync(files[1]!, 'utf8'));
    const tickets = JSON.parse(text) as { id: string }[];
    expect(text).toBe(JSON.stringify(tickets, null, 2));
    expect(fromWorker).toMatchObject({ tickets: tickets.length, bytes: Buffer.byteLength(text) });
    expect(tickets.map((t) => t.id).sort()).toEqual([O1, O2]);

    // Sanity: the cases read real data, not empty answers that trivially agree.
    const report = (await worker.run('report', request)) as PeriodReportView;
    expect(report.outages.length).toBe(2);
    expect(report.ledger).toEqual({ total: 2, offset: 0, limit: LEDGER_PAGE_ROWS });
    expect(((await worker.run('incidents', cases.incidents[1]!)) as { total: number }).total).toBe(300);
    expect(((await worker.run('chain', null)) as ChainReport).checked).toBeGreaterThan(500);

    // Through dispatch the console uses the worker, with the same answers.
    await c.signIn('S1');
    const viaDispatch = await c.call<PeriodReportView>('reports.period', { ...DAY, noResponseHours: 4 });
    expect(viaDispatch.outages.map((o) => o.outage.id).sort()).toEqual([O1, O2]);
    expect(await c.call('incidents.list', { query: 'brand', limit: 50, offset: 10 })).toEqual(
      await inThread.run('incidents', cases.incidents[1]!),
    );
  });

  it.runIf(process.platform === 'linux')(
    "runs the reader's thread at a lower priority than the core's, which keeps its own, also under `nice`",
    async () => {
      const dir = tempDir('guardline-reader-');
      dirs.push(dir);
      const file = join(dir.path, 'nice.sqlite');
      const store = openEventStore(file);
      store.append([incidentCreated()]);
      // The console started under `nice -n 3` (as a service manager may start it): this
      // thread is the core's, and the reader's thread inherits its value.
      const original = getPriority();
      setPriority(Math.min(19, original + 3));
      const coreBefore = getPriority();
      try {
        const worker = workerReadJobs({ file, log: () => undefined });
        readers.push(worker);
        expect(worker.priority).toBeNull(); // no worker yet
        expect(await worker.run('chain', null)).toMatchObject({ ok: true, checked: 1 });
        // Nice values: higher runs later. The reader is READER_NICE above the core, never below it.
        expect(worker.priority).toBe(Math.min(19, coreBefore + READER_NICE));
        expect(getPriority()).toBe(coreBefore);
      } finally {
        store.close();
        try {
          setPriority(original);
        } catch {
          // Lowering a nice value needs privilege; the rest of this file then runs niced.
        }
      }
    },
  );

  it('sees what the writer committed before the call, and finds a tampered event as the store does', async () => {
    const dir = tempDir('guardline-reader-');
    dirs.push(dir);
    const file = join(dir.path, 'tamper.sqlite');
    const store = openEventStore(file);
    const events = [incidentCreated(), incidentCreated(), incidentCreated()];
    store.append(events);
    const worker = workerReadJobs({ file, log: () => undefined });
    readers.push(worker);
    expect(await worker.run('chain', null)).toEqual({ ok: true, checked: 3, firstBroken: null });
    store.append([incidentCreated()]);
    expect(await worker.run('chain', null)).toEqual({ ok: true, checked: 4, firstBroken: null });
    const raw = new Database(file);
    raw.exec('DROP TRIGGER events_no_rewrite');
    raw.prepare("UPDATE events SET actor = 'X9' WHERE id = ?").run(events[1]!.id);
    raw.close();
    const answer = await worker.run('chain', null);
    expect(answer).toEqual(store.verifyChain());
    expect(answer).toMatchObject({ ok: false, firstBroken: { id: events[1]!.id } });
    store.close();
  });

  it('pushes the chain check progress, ending with every event checked', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedIncidents(c, 12_000);
    const report = await c.call<ChainReport>('store.verifyChain');
    expect(report.ok).toBe(true);
    const progress = progressOf(c, 'store.verifyChain');
    expect(new Set(progress.map((p) => p.job)).size).toBe(1);
    expect(progress[0]).toMatchObject({ done: 0, total: report.checked });
    expect(progress.at(-1)).toMatchObject({ done: report.checked, total: report.checked });
    expect(progress.length).toBeGreaterThanOrEqual(4); // pages of 5,000 events
    const dones = progress.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('pushes report and export progress as steps', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    c.core.store.append(outageDay(O1, O2));
    await c.signIn('S1');
    const shown = await c.call<PeriodReportView>('reports.period', { ...DAY, noResponseHours: 4 });
    await c.call('reports.ledgerPage', { ...DAY, noResponseHours: 4, asOf: shown.asOf, offset: 1, limit: 1 });
    await c.call('reports.exportTmf621', DAY);
    await c.call('reports.exportPdf', DAY);
    for (const method of ['reports.period', 'reports.ledgerPage', 'reports.exportTmf621', 'reports.exportPdf']) {
      const steps = progressOf(c, method);
      expect(steps.length, method).toBeGreaterThanOrEqual(1);
      const dones = steps.map((p) => p.done);
      expect(dones, method).toEqual([...dones].sort((a, b) => a - b));
      expect(steps.at(-1)!.done, method).toBe(steps.at(-1)!.total);
    }
    expect(progressOf(c, 'reports.period').map((p) => p.done)).toEqual([0, 1, 2]);
    // The export: the report's two steps, then the two tickets written.
    expect(progressOf(c, 'reports.exportTmf621').map((p) => [p.done, p.total])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
      [2, 4],
      [4, 4],
    ]);
  });

  it('reads the ledger a page at a time: pages of one report make its whole ledger, and a commit shows on the next page read', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    c.core.store.append(outageDay(O1, O2));
    await c.signIn('S1');
    const asked = { ...DAY, noResponseHours: 4 };
    // Newest first, as the report lists them.
    const whole = (await c.call<PeriodReportView>('reports.period', asked)).outages;
    expect(whole.map((r) => r.outage.id)).toHaveLength(2);
    const first = await c.call<PeriodReportView>('reports.period', asked);
    const page = (offset: number) =>
      c.call<{ total: number; offset: number; rows: typeof whole }>('reports.ledgerPage', {
        ...asked,
        asOf: first.asOf,
        offset,
        limit: 1,
      });
    const pages = [await page(0), await page(1), await page(2)];
    expect(pages.map((p) => [p.total, p.offset, p.rows.length])).toEqual([
      [2, 0, 1],
      [2, 1, 1],
      [2, 2, 0],
    ]);
    expect(pages.flatMap((p) => p.rows)).toEqual(first.outages);
    // Pages are slices of the report built for `first`: no page read built it again, even
    // with probe samples written meanwhile (a live monitor writes them every second).
    // OR REPLACE: the live monitor may have written this line's slot already (under load it did).
    c.core.store.db
      .prepare(
        'INSERT OR REPLACE INTO line_samples (facility_id, line_id, slot, at, outcome, rtt_ms) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(FACILITY, 'a1', 0, at(1), 'ok', 12);
    const builds = () => progressOf(c, 'reports.ledgerPage').filter((p) => p.done === 0).length;
    await page(0);
    expect(builds()).toBe(0);
    // A carrier ticket recorded between two page reads is on the next page read.
    const target = pages[1]!.rows[0]!.outage.id;
    await c.call('ledger.setCarrierTicket', {
      outageId: target,
      ticketRef: 'T-4711',
      reportedAt: at(10.5),
      acknowledgedAt: null,
      restoredAt: null,
      status: 'reported',
      note: '',
    });
    expect((await page(1)).rows[0]).toMatchObject({ outage: { id: target }, ticket: { ticketRef: 'T-4711' } });
    expect(builds()).toBe(1);
    // Bad paging input is named.
    const bad = await c.fail('reports.ledgerPage', { ...asked, asOf: first.asOf, offset: -1, limit: 1 });
    expect(bad).toMatchObject({ code: 'invalid_input', field: 'offset' });
    expect(await c.fail('reports.ledgerPage', { ...asked, asOf: first.asOf, offset: 0, limit: 501 })).toMatchObject({
      code: 'invalid_input',
      field: 'limit',
    });
  });

  it('keeps the core thread running timers while a long chain check runs (in-thread it could not)', async () => {
    const c = await open();
    seedIncidents(c, 20_000);
    const order = async (reader: ReadJobs) => {
      const seen: string[] = [];
      let armed = false;
      const done = reader.run('chain', null, () => {
        if (armed) return;
        armed = true;
        // Set when the job has started: an escalation deadline or probe tick due now.
        setTimeout(() => seen.push('timer'), 0);
      });
      await done.then(() => seen.push('job done'));
      await new Promise((resolve) => setTimeout(resolve, 1));
      return seen;
    };
    const worker = workerReadJobs({ file: c.file, log: () => undefined });
    readers.push(worker);
    expect(await order(worker)).toEqual(['timer', 'job done']);
    // The control: the same job on the core's thread holds the timer until it has finished.
    expect(await order(inThreadReadJobs(c.core.store.db))).toEqual(['job done', 'timer']);
  });

  it('fails a job with a clear error when its worker dies, and a new worker takes the next job', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedIncidents(c, 20_000);
    const reader = c.core.jobs as ReturnType<typeof workerReadJobs>;
    expect(reader.mode).toBe('worker');
    const killed = new Promise<void>((resolve) => {
      const stop = c.core.subscribe((name) => {
        if (name !== 'jobs.progress' || !reader.worker) return;
        stop();
        void reader.worker.terminate().then(() => resolve());
      });
    });
    const error = await c.fail('store.verifyChain');
    await killed;
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/background reader stopped \(exit code 1\) during chain; a new one takes the next/);
    const again = await c.call<ChainReport>('store.verifyChain');
    expect(again).toMatchObject({ ok: true });
    expect(reader.started).toBe(2);
    // The console kept working meanwhile: commands still commit.
    await c.call('incidents.create', {
      facility: 'Märsta',
      unit: 'Avdelning B',
      category: 'fire',
      severity: 'high',
      title: 'Rök i korridoren',
      description: '',
      peopleInvolved: [],
      location: 'Korridor 2',
      occurredAt: '2026-11-25T21:14:00+01:00',
      reportedBy: 'A1',
    });
  });

  it('fails with a clear error, never a hang, when the worker cannot start', async () => {
    const dir = tempDir('guardline-reader-');
    dirs.push(dir);
    const logged: string[] = [];
    const reader = workerReadJobs({ file: join(dir.path, 'missing.sqlite'), log: (m) => logged.push(m) });
    readers.push(reader);
    await expect(reader.run('chain', null)).rejects.toThrow(/background reader crashed \(.*\) during chain/);
    expect(logged).toContain('background reader crashed');
  });
});

describe('retention in slices', () => {
  /**
   * A console with `count` closed incidents due for archiving. `sliceMs` is how long the
   * test's clock says each slice took (the sweep times its slices to stay inside 10 ms).
   */
  async function dueConsole(count: number, sliceMs: number) {
    let now = Date.UTC(2026, 11, 1); // after the seeded incidents (support: from 2026-11-25)
    let clock = 0;
    const c = await open({
      wallClock: () => now,
      retention: {
        closedIncidentDays: 30,
        sliceBudgetMs: 10,
        // Each reading moves on by half a slice: a slice reads it at its start and at its end.
        sliceClock: () => (clock += sliceMs / 2),
      },
    });
    await enrolStandardRoster(c);
    seedIncidents(c, count);
    const ids = c.core.store.db.prepare('SELECT id FROM incidents ORDER BY created_hlc, id').pluck().all() as string[];
    for (const id of ids) {
      await c.call('incidents.setStatus', { id, to: 'resolved' });
      await c.call('incidents.setStatus', { id, to: 'closed' });
    }
    now += 31 * DAY_MS;
    return { c, ids };
  }

  it('archives in transactions that grow while slices are quick, letting other work run between them', async () => {
    const count = 60;
    const { c } = await dueConsole(count, 1);
    const between: number[] = [];
    const stop = c.core.subscribe((name, payload) => {
      if (name !== 'jobs.progress' || (payload as { done: number }).done !== FIRST_SLICE) return;
      // Queued during the first slice: it runs before the next slice, not after the whole sweep.
      setImmediate(() => between.push(c.events('incident.archived').length));
    });
    const result = await c.call<{ archived: number }>('retention.run');
    stop();
    expect(result.archived).toBe(count);
    expect(between).toEqual([FIRST_SLICE]);
    const progress = progressOf(c, 'retention.run');
    // 8, then 16, then 32, then the 4 left.
    expect(progress.map((p) => p.done)).toEqual([0, 8, 24, 56, 60]);
    expect(progress.every((p) => p.total === count)).toBe(true);
    expect(c.events('incident.archived')).toHaveLength(count);
    expect(await c.call<ChainReport>('store.verifyChain')).toMatchObject({ ok: true });
  });

  it('shrinks its slices down to one incident while each takes longer than the budget', async () => {
    const count = 20;
    const { c } = await dueConsole(count, 30);
    const result = await c.call<{ archived: number }>('retention.run');
    expect(result.archived).toBe(count);
    const done = progressOf(c, 'retention.run').map((p) => p.done);
    // 8, 4, 2, then one at a time.
    expect(done).toEqual([0, 8, 12, 14, ...Array.from({ length: 6 }, (_, i) => 15 + i)]);
  });

  it('leaves alone an incident that got a note between two slices (no longer due)', async () => {
    const count = 30;
    const { c, ids } = await dueConsole(count, 1);
    const last = ids.at(-1)!;
    const stop = c.core.subscribe((name, payload) => {
      if (name !== 'jobs.progress' || (payload as { done: number }).done !== FIRST_SLICE) return;
      setImmediate(() => void c.call('incidents.addNote', { id: last, text: 'Återöppnad utredning' }));
    });
    const result = await c.call<{ archived: number }>('retention.run');
    stop();
    expect(result.archived).toBe(count - 1);
    expect(c.events('incident.archived').map((e) => e.streamId)).not.toContain(last);
    const listed = await c.call<{ items: { id: string }[] }>('incidents.list', { limit: 200 });
    expect(listed.items.map((i) => i.id)).toEqual([last]);
    // The progress bar still ends full.
    expect(progressOf(c, 'retention.run').at(-1)).toMatchObject({ done: count - 1, total: count - 1 });
  });
});
