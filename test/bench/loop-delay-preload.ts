/**
 * `NODE_OPTIONS="--import ./test/bench/loop-delay-preload.ts" GUARDLINE_LOOP_DELAY_DIR=<dir> npm run bench mesh`:
 * every Node process the bench starts (the bench itself, the tracker, each browser host) writes
 * its main thread's event-loop delay to `<dir>/loop-delay-<pid>.log`, one line per 100 ms
 * window: the wall clock (ms) and the longest delay in that window (ms,
 * `perf_hooks.monitorEventLoopDelay`, 5 ms resolution). Written for issue 12i, to see what the
 * receiving console's thread is held for while it catches up (its pid is in the host's log; the
 * first windows are its start-up). On a machine shared with other work every process shows
 * the machine's load here too: compare with the tracker's own file from the same run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.GUARDLINE_LOOP_DELAY_DIR;
if (isMainThread && dir) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const file = `${dir}/loop-delay-${process.pid}.log`;
  setInterval(() => {
    appendFileSync(file, `${Date.now()} ${(delay.max / 1e6).toFixed(1)}\n`);
    delay.reset();
  }, 100).unref();
}
