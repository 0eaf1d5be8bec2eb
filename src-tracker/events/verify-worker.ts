/** A verification worker (verify-pool.ts): checks one slice of a push and answers with its first failures. */
import { answerJobs } from '../../src-common/worker-jobs.ts';
import { checkSlice } from './author-check.ts';
import { unpackEnvelopes } from './packed-envelopes.ts';
import type { PackedCheck } from './verify-pool.ts';

answerJobs(({ packed, ...check }: PackedCheck) => checkSlice({ ...check, events: unpackEnvelopes(packed) }));
