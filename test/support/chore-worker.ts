/**
 * A worker for test/unit/common/worker-jobs.test.ts: answers `echo`, throws on `throw`,
 * exits the thread on `exit`, and never answers `hang` (it blocks its thread). With
 * CHORE_WORKER_LOAD_MS it takes that long to load.
 */
import { answerJobs } from '../../src-common/worker-jobs.ts';

// A worker that loads slowly, as one does on a busy machine: blocks this long first.
const loadMs = Number(process.env.CHORE_WORKER_LOAD_MS ?? 0);
if (loadMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, loadMs);

answerJobs((job: { op: 'echo' | 'throw' | 'exit' | 'hang'; value: number }) => {
  if (job.op === 'throw') throw new Error(`refused ${job.value}`);
  if (job.op === 'exit') process.exit(3);
  if (job.op === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  return { value: job.value };
});
