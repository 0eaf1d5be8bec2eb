/** A verification worker (verify-pool.ts): checks one slice of a push and answers with its first failures. */
import { parentPort } from 'node:worker_threads';
import { checkSlice, type AuthorCheck } from './author-check.ts';

parentPort!.on('message', (job: { id: number; check: AuthorCheck }) => {
  parentPort!.postMessage({ id: job.id, verdict: checkSlice(job.check) });
});
