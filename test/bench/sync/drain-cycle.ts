/**
 * `node test/bench/sync/drain-cycle.ts [events]`: where one console's drain spends each push's
 * cycle (issue 16, round 16m). The console keeps one push in flight, so a drain is a chain of
 * cycles: the tracker's handling of a push (fastify's `responseTime`, request read to answer
 * sent) and the gap from that answer until the next push's request arrives (the console reading
 * the answer, recording it and sending the next body, plus loopback HTTP). Read from the
 * tracker's own request log of a real drain (guardline-drain.ts), so nothing is added to the
 * path being measured. Prints the medians and sums, the drain's rate and the load average.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { percentile, round } from '../report.ts';
import { tempDir } from '../../support/temp.ts';
import { guardlineDrain, offlineConsole } from './guardline-drain.ts';

const count = Number(process.argv[2] ?? 20_000);
const dir = tempDir('guardline-drain-cycle-');
const loadBefore = loadavg()[0]!;
try {
  const template = await offlineConsole(dir.path, count);
  const drain = await guardlineDrain(dir.path, 0, template);
  const lines = readFileSync(join(dir.path, 'drain-tracker-0.log'), 'utf8').split('\n').filter(Boolean);
  const entries = lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  // Pushes by request id: when the request arrived and how long the tracker took over it.
  const pushes = new Map<string, { at: number; ms?: number }>();
  for (const e of entries) {
    const req = e.req as { method?: string; url?: string } | undefined;
    if (e.msg === 'incoming request' && req?.method === 'POST' && req.url === '/v1/events')
      pushes.set(String(e.reqId), { at: Number(e.time) });
    if (e.msg === 'request completed' && pushes.has(String(e.reqId)))
      pushes.get(String(e.reqId))!.ms = Number(e.responseTime);
  }
  const list = [...pushes.values()].filter((p) => p.ms !== undefined).sort((a, b) => a.at - b.at);
  const tracker = list.map((p) => p.ms!);
  const gaps = list.slice(1).map((p, i) => p.at - (list[i]!.at + list[i]!.ms!));
  const sum = (xs: number[]) =>
    round(
      xs.reduce((s, x) => s + x, 0),
      0,
    );
  console.table([
    {
      part: 'tracker: request read to answer sent (fastify responseTime)',
      'median ms per push': round(percentile(tracker, 50), 2),
      'p90 ms': round(percentile(tracker, 90), 2),
      'sum ms': sum(tracker),
    },
    {
      part: 'between: answer sent to the next push arriving (console + loopback)',
      'median ms per push': round(percentile(gaps, 50), 2),
      'p90 ms': round(percentile(gaps, 90), 2),
      'sum ms': sum(gaps),
    },
  ]);
  console.log(
    `${list.length} pushes, ${drain.events} events drained in ${round(drain.drainMs, 0)} ms ` +
      `(${Math.round(drain.events / (drain.drainMs / 1000))} events/s); ` +
      `load average (1 min): ${loadBefore.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
  );
} finally {
  dir.cleanup();
}
