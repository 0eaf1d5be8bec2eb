/** A verification worker (verify-pool.ts): checks one slice of a push and answers with its first failures. */
import { answerJobs } from '../../src-common/worker-jobs.ts';
import { checkSlice, type AuthorCheck } from './author-check.ts';

answerJobs((check: AuthorCheck) => checkSlice(check));
