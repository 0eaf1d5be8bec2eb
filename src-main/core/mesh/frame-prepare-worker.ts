/**
 * The frame preparer's worker thread (frame-preparer.ts): parses and prepares one large
 * frame per job and answers what the console's thread needs in a form that clones cheaply
 * (frame-prep.ts `packFrame`). Runs as this .ts file in source runs and as
 * out/main/frame-prepare-worker.js in the Electron bundle (an entry in electron.vite.config.ts).
 */
import type { KeyringEntry } from '../../../src-common/trust/index.ts';
import { answerJobs } from '../../../src-common/worker-jobs.ts';
import { createChainAhead, type ChainPlan } from '../sync/received-prep.ts';
import { packFrame } from './frame-prep.ts';

import { timelineNow, timelineOn } from './session-timeline.ts';

const chainAhead = createChainAhead();
const timed = timelineOn();
type Job =
  | { body: Uint8Array; keys: KeyringEntry[]; plan?: ChainPlan | null }
  | { rechain: Pick<ChainPlan, 'head' | 'storedThrough'> };
answerJobs((job: Job) => {
  if ('rechain' in job) return chainAhead.rechain(job.rechain);
  if (!timed) return packFrame(job.body, job.keys, job.plan ?? null, chainAhead);
  // Bench timeline (GUARDLINE_MESH_TIMELINE): when the worker started and ended this frame.
  const start = timelineNow();
  const answer = packFrame(job.body, job.keys, job.plan ?? null, chainAhead);
  return 'error' in answer ? answer : { ...answer, timing: { start, end: timelineNow() } };
});
