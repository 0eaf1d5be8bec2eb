/**
 * `node test/bench/cpuprofile-stages.ts --events <n> [--during <function>] <main thread .cpuprofile>…`:
 * the tracker event loop's sampled time during a drain split by the push's stages (issue 16,
 * round 16ab), in ms per 1,000 events: the body's read and JSON parse, the envelope check,
 * the author check (keys, run anchors, posting to the verification workers), the SQL
 * statements of the insert, the commit, HQ's projector notice, the answer, and the rest.
 *
 * Each busy sample goes to the stage of the innermost frame on its stack that a rule below
 * names (so SQLite's native time goes to the statement's caller). Kysely runs a statement a
 * few promise hops after the code that built it, so a statement's stack shows no project
 * frame above the driver: the COMMIT is told apart by Kysely's `commitTransaction`, every
 * other statement (the INSERT, its read-back, the anchor and key reads, savepoints) is
 * `sql: statements`; `sqlite-statement-preload.ts` splits those by SQL text in CPU time.
 * Sampled time includes time a thread waited in a system call (the COMMIT's fsync) or for a
 * core, so read it beside the thread's CPU time (drain-ab.ts prints the main thread's).
 */
import { readCpuProfile } from './cpuprofile.ts';

/** Innermost match wins; tested against `functionName@url`. Order matters only within one frame. */
const STAGES: [string, RegExp][] = [
  [
    'commit (BEGIN, COMMIT, writer gate)',
    /^(commitTransaction|beginTransaction|rollbackTransaction|#letGo)@|writer-gate\.ts/,
  ],
  [
    'sql: statements (insert, reads, savepoints)',
    /^(run|all|get|iterate)@.*statement-cache\.ts|^bound@.*statement-cache\.ts/,
  ],
  ['parse: secure-json-parse (JSON.parse, proto scan)', /secure-json-parse/],
  ['parse: body read (chunks, utf8)', /content-type-parser\.js|^(onData|onEnd|rawBody)@/],
  ['author check: post to workers', /worker-jobs\.ts|verify-pool\.ts/],
  ['author check: keys, cutoffs, anchors', /verify-authors\.ts/],
  ['insert: rows and statement text', /insert-events\.ts|bulk-insert\.ts|events\/ingest\.ts|^toRow@/],
  ['ingestor: group, savepoints, verdict', /events\/ingestor\.ts/],
  ['envelope check (checkPushBatch, fastEnvelope, zod)', /validate-push\.ts|envelope-fast-path\.ts/],
  ['push order', /push-order\.ts/],
  ['auth (token)', /http\/auth\.ts|auth\/tokens\.ts/],
  ['projection notice (heads, projector, hints)', /projections\/|stream\/|^publish@/],
  [
    'answer: reply, serialize, socket write',
    /fastify\/lib\/reply\.js|fast-json-stringify|^(writeUtf8String|writeGeneric|Socket\._write)@|_http_outgoing/,
  ],
  ['logging (pino)', /pino/],
  ['route (events/routes.ts)', /events\/routes\.ts/],
  ['kysely', /kysely/],
  ['fastify, HTTP (request, hooks)', /fastify|_http_server|_http_common|node:net|llhttp|find-my-way/],
  ['GC', /^\(garbage collector\)@/],
];

const args = process.argv.slice(2);
const take = (flag: string) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  args.splice(at, 2);
  return value;
};
const eventsArg = take('--events');
const during = take('--during') ?? 'checkPushBatch';
if (!eventsArg || args.length === 0)
  throw new Error('usage: cpuprofile-stages.ts --events <n> [--during <function>] <file.cpuprofile>…');
const events = Number(eventsArg);

for (const file of args) {
  const profile = readCpuProfile(file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const msPerSample = samples.length ? (profile.endTime - profile.startTime) / samples.length / 1000 : 0;
  const frames = (sample: number) => {
    const out: string[] = [];
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      out.push(`${f.functionName}@${f.url}`);
    }
    return out;
  };
  const holds = (sample: number) => frames(sample).some((f) => f.startsWith(`${during}@`));
  const from = samples.findIndex(holds);
  if (from < 0) throw new Error(`no sample of ${file} holds ${during}`);
  let to = samples.length - 1;
  while (!holds(samples[to]!)) to -= 1;
  const charged = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const sample of samples.slice(from, to + 1)) {
    const stack = frames(sample);
    if (stack[0]!.startsWith('(idle)@')) {
      idle += 1;
      continue;
    }
    busy += 1;
    let stage = 'other';
    outer: for (const frame of stack) {
      for (const [name, rule] of STAGES) {
        if (rule.test(frame)) {
          stage = name;
          break outer;
        }
      }
    }
    charged.set(stage, (charged.get(stage) ?? 0) + 1);
  }
  const perThousand = (hits: number) => Math.round(((hits * msPerSample) / events) * 1000 * 100) / 100;
  console.log(
    `\n${file}\nduring ${during}: ${Math.round((to - from + 1) * msPerSample)} ms, busy ${Math.round(busy * msPerSample)} ms ` +
      `(${perThousand(busy)} ms per 1,000 of ${events} events), idle ${Math.round(idle * msPerSample)} ms`,
  );
  console.table(
    [...charged]
      .sort((a, b) => b[1] - a[1])
      .map(([stage, hits]) => ({
        stage,
        'ms per 1,000 events': perThousand(hits),
        'share of busy': `${((hits / busy) * 100).toFixed(1)} %`,
      })),
  );
}
