// Round 12ab: `--import <this file>` with GUARDLINE_SURVIVORS=<file> (through the mesh bench's
// GUARDLINE_MESH_B_NODE_OPTIONS, so only the cold run's B loads it): V8's sampling heap profiler on
// the main thread, counting the objects that outlived the young generation's collections
// (includeObjectsCollectedByMinorGC false: what a scavenge freed is dropped from the samples;
// includeObjectsCollectedByMajorGC true: what was promoted and died in the old generation stays).
// So its samples are the bytes B promoted (or still holds young), by allocation site. The
// profile so far is written to the file every second. Read it with survivors.py.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
const file = process.env.GUARDLINE_SURVIVORS;
if (isMainThread && file) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  setInterval(() => {
    session.post('HeapProfiler.getSamplingProfile', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  }, 1000).unref();
}
