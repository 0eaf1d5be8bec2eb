/**
 * `node test/bench/thread-gaps.ts`: does a busy worker thread hold up the main thread of
 * the same process when the main thread itself does nothing? The stall bench found the
 * core's thread's longest gaps during background-reader jobs with ~0 ms of its own CPU
 * time in them (issue 16). This runs the main thread's 5 ms ticker (as the bench's
 * stallWatch) beside a worker that (a) only computes, (b) allocates as a report build
 * does (millions of small objects, the heap growing and collected), and prints each
 * case's longest gaps with the main thread's CPU time in them, and the load average.
 * A gap with CPU near 0 is the main thread not running although it had nothing to do.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

const CASES = {
  'computes only (4 s of arithmetic)': `
    let x = 0; const end = Date.now() + 4000;
    while (Date.now() < end) for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);`,
  'allocates (6 rounds of 3 million small objects)': `
    const keep = [];
    for (let round = 0; round < 6; round++) {
      const a = []; for (let i = 0; i < 3e6; i++) a.push({ i, s: 'x' + i });
      keep.push(a); if (keep.length > 2) keep.shift();
    }`,
};

const cpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

async function run(body: string): Promise<{ gapMs: number; cpuMs: number }[]> {
  const gaps: { gapMs: number; cpuMs: number }[] = [];
  let last = performance.now();
  let lastCpu = cpuMs();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    gaps.push({ gapMs: now - last - 5, cpuMs: cpu - lastCpu });
    last = now;
    lastCpu = cpu;
  }, 5);
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads'); ${body}; parentPort.postMessage('done');`,
    {
      eval: true,
    },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  clearInterval(ticker);
  await worker.terminate();
  return gaps
    .sort((a, b) => b.gapMs - a.gapMs)
    .slice(0, 5)
    .map((g) => ({ gapMs: Math.round(g.gapMs * 10) / 10, cpuMs: Math.round(g.cpuMs * 10) / 10 }));
}

const out: Record<string, unknown> = { loadAverage1mAtStart: os.loadavg()[0], cpus: os.cpus().length };
for (const [name, body] of Object.entries(CASES)) out[name] = await run(body);
out.loadAverage1mAtEnd = os.loadavg()[0];
console.log(JSON.stringify(out, null, 2));
