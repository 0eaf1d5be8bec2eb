import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkerJobs, type WorkerJobs } from '../../../src-common/worker-jobs.ts';

type Job = { op: 'echo' | 'throw' | 'exit' | 'hang'; value: number };
const entry = new URL('../../support/chore-worker.ts', import.meta.url);
let jobs: WorkerJobs<Job, { value: number }> | null = null;
afterEach(async () => {
  await jobs?.close();
  jobs = null;
});

describe('worker jobs', () => {
  it('answers each job with its own answer, on the worker of its slot', async () => {
    jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 2 });
    const answers = await Promise.all([1, 2, 3, 4].map((value, i) => jobs!.run(i % 2, { op: 'echo', value })));
    expect(answers.map((a) => a.value)).toEqual([1, 2, 3, 4]);
  });

  it('says when a worker has loaded its code; a replacement is not ready until it has', async () => {
    jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1 });
    expect(jobs.ready(0)).toBe(false);
    await vi.waitFor(() => expect(jobs!.ready(0)).toBe(true));
    await expect(jobs.run(0, { op: 'exit', value: 1 })).rejects.toThrow('exited');
    expect(jobs.ready(0)).toBe(false);
    await vi.waitFor(() => expect(jobs!.ready(0)).toBe(true));
  });

  it('fails only the job whose handler throws; the worker lives on', async () => {
    jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1 });
    await expect(jobs.run(0, { op: 'throw', value: 7 })).rejects.toThrow('refused 7');
    expect((await jobs.run(0, { op: 'echo', value: 8 })).value).toBe(8);
    expect(jobs.started).toBe(1);
  });

  it('fails every job a dead worker held, says so, and serves later jobs from a new worker', async () => {
    const replaced: string[] = [];
    jobs = createWorkerJobs<Job, { value: number }>({
      entry,
      size: 1,
      onReplaced: (slot, error) => replaced.push(`${slot}: ${error.message}`),
    });
    const died = jobs.run(0, { op: 'exit', value: 1 });
    const behind = jobs.run(0, { op: 'echo', value: 2 });
    await expect(died).rejects.toThrow('worker exited with code 3');
    await expect(behind).rejects.toThrow('worker exited with code 3');
    expect(replaced).toEqual(['0: worker exited with code 3']);
    expect((await jobs.run(0, { op: 'echo', value: 9 })).value).toBe(9);
    expect(jobs.started).toBe(2);
    expect(jobs.pending).toBe(0);
  });

  it('ends a worker that answers nothing for stallMs, failing what it held, and replaces it', async () => {
    jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1, stallMs: 200 });
    const hung = jobs.run(0, { op: 'hang', value: 1 });
    await expect(hung).rejects.toThrow('worker answered no job for 200 ms');
    expect((await jobs.run(0, { op: 'echo', value: 5 })).value).toBe(5);
    expect(jobs.started).toBe(2);
  });

  it("counts a job's stall time from when its worker has loaded, so a worker slow to load on a busy machine is not ended for it", async () => {
    process.env.CHORE_WORKER_LOAD_MS = '600';
    try {
      jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1, stallMs: 200 });
    } finally {
      delete process.env.CHORE_WORKER_LOAD_MS;
    }
    expect((await jobs.run(0, { op: 'echo', value: 3 })).value).toBe(3);
    // A job that hangs after loading is still ended after stallMs.
    await expect(jobs.run(0, { op: 'hang', value: 1 })).rejects.toThrow('worker answered no job for 200 ms');
    expect(jobs.started).toBe(2);
  });

  it('still fails a job whose worker never finishes loading, after ten stall budgets', async () => {
    process.env.CHORE_WORKER_LOAD_MS = '60000';
    try {
      jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1, stallMs: 50 });
    } finally {
      delete process.env.CHORE_WORKER_LOAD_MS;
    }
    await expect(jobs.run(0, { op: 'echo', value: 1 })).rejects.toThrow('worker answered no job for 500 ms');
    expect((await jobs.run(0, { op: 'echo', value: 4 })).value).toBe(4);
  });

  it('refuses jobs once closed, and fails the ones it held', async () => {
    jobs = createWorkerJobs<Job, { value: number }>({ entry, size: 1 });
    const held = jobs.run(0, { op: 'hang', value: 1 });
    await jobs.close();
    await expect(held).rejects.toThrow();
    await expect(jobs.run(0, { op: 'echo', value: 1 })).rejects.toThrow('closed');
  });
});
