/** A verification worker (verify-pool.ts): checks one slice of a push and answers with its first refusal. */
import { parentPort } from 'node:worker_threads';
import { firstRefusal, type AuthorCheck } from './author-check.ts';

parentPort!.on('message', (job: { id: number; check: AuthorCheck }) => {
  parentPort!.postMessage({ id: job.id, refusal: firstRefusal(job.check) });
});
