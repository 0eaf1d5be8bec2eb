/**
 * `node test/bench/frame-worker-split.ts [--rounds N] [tree…]`: where the receiving console's frame
 * worker spends its CPU per 1,000 received events, stage by stage, for each source tree given
 * (default: this one), in turns. The frames are frame-worker-costs.ts's (the mesh bench's backlog,
 * signed, chained, with escalations, 500 events a frame, written by each tree's own sender); each
 * stage runs alone over all of them on this thread, on the outputs of the stages before it, and is
 * timed by this thread's CPU (`process.threadCpuUsage`), median of the rounds:
 *
 * - frame parse: JSON.parse of each frame's text;
 * - wire schema: `decodeFrameBody` (JSON.parse and the wire schema, MeshFrame) less the parse;
 * - same parse: `sameParse` (whether the schema's output is JSON.parse's value);
 * - payload checks: each payload against its type's schema and `sameJson` (received-prep.ts);
 * - canonical JSON: `canonicalEnvelope` of each event;
 * - author hash, chain hash: the two SHA-256 per event (`authorHashOf`, `chainHashOf`);
 * - signatures by runs: `verifyByRuns` over the prepared events, Ed25519 by author run;
 * - pack and post: `packReceived` and V8's serialisation of the answer (what postMessage does);
 * - all of packFrame: the worker's whole job (with a chain guess) in one call, for the sum.
 *
 * Stages alone run warmer than interleaved in the worker, so the sum is below packFrame's whole;
 * the split says which stage is large, the worker's own profile (`--cpu-prof`) where inside it.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { percentile, round } from './report.ts';
import { senderBacklog, senderFrames, senderKeys } from './sender-frames.ts';

const EVENTS = 20_000;
const FRAME = 500;
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 10;
const trees = args.filter((_, i) => i !== roundsAt && i !== roundsAt + 1).map((t) => resolve(t));
if (trees.length === 0) trees.push(resolve('.'));
const loadBefore = loadavg()[0]!;

const events = senderBacklog(EVENTS);

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const at = (tree: string, path: string) => pathToFileURL(`${tree}/${path}`).href;

interface Tree {
  tree: string;
  bodies: Buffer[];
  stages: Map<string, number[]>;
  run(stage: string): void;
}

const HEAD = '0'.repeat(64);
const STAGES = [
  'frame parse',
  'wire schema',
  'same parse',
  'payload checks',
  'canonical JSON',
  'author hash (SHA-256)',
  'chain hash (SHA-256)',
  'signatures by runs',
  'pack and post',
];

async function load(tree: string): Promise<Tree> {
  const codec = (await import(at(tree, 'src-main/core/mesh/frame-codec.ts'))) as Any;
  const prep = (await import(at(tree, 'src-main/core/mesh/frame-prep.ts'))) as Any;
  const received = (await import(at(tree, 'src-main/core/sync/received-prep.ts'))) as Any;
  const trust = (await import(at(tree, 'src-common/trust/index.ts'))) as Any;
  const { chainHashOf } = (await import(at(tree, 'src-common/chain-hash.ts'))) as Any;
  const { canonicalEnvelope } = (await import(at(tree, 'src-shared/signed-envelope.ts'))) as Any;
  const { parseEventPayload } = (await import(at(tree, 'src-shared/events.ts'))) as Any;
  const { sameJson } = (await import(at(tree, 'src-shared/same-json.ts'))) as Any;
  // The payload check as the tree's worker runs it: its own where exported, else the base's (zod and sameJson).
  const payloadCheck =
    received.payloadCheck ??
    ((event: Any) => {
      const parsed = parseEventPayload(event.type, event.payload);
      return parsed.success ? sameJson(parsed.data, event.payload) : false;
    });
  const bodies = await senderFrames(tree, events, FRAME);
  const keys = senderKeys();
  const keyring = trust.createKeyring(keys);
  // Each stage's inputs, made once by the stages before it.
  const decoded = bodies.map((b) => codec.decodeFrameBody(b));
  const frames = decoded.map((d: Any) => d.frame.events as Any[]);
  const canonicals = frames.map((list) => list.map((e: Any) => canonicalEnvelope(e) as string));
  const preps = frames.map((list, f) =>
    list.map((e: Any, i: number) => ({
      payloadIssue: null,
      payloadExact: true,
      canonical: canonicals[f]![i],
      authorHash: trust.authorHashOf(canonicals[f]![i], e.sig),
      signatures: new Map(),
    })),
  );
  const stages = new Map(STAGES.concat('all of packFrame').map((s) => [s, [] as number[]]));
  let sink = 0;
  const run = (stage: string) => {
    switch (stage) {
      case 'frame parse':
        for (const body of bodies) sink += (JSON.parse(codec.frameText(body)) as Any).events.length;
        break;
      case 'wire schema':
        for (const body of bodies) sink += codec.decodeFrameBody(body).frame.events.length;
        break;
      case 'same parse':
        for (const d of decoded) sink += prep.sameParse(d.frame, d.json) ? 1 : 0;
        break;
      case 'payload checks':
        for (const list of frames) for (const e of list) sink += payloadCheck(e) ? 1 : 0;
        break;
      case 'canonical JSON':
        for (const list of frames) for (const e of list) sink += canonicalEnvelope(e).length;
        break;
      case 'author hash (SHA-256)':
        for (let f = 0; f < frames.length; f++)
          for (let i = 0; i < frames[f]!.length; i++)
            sink += trust.authorHashOf(canonicals[f]![i], frames[f]![i].sig).length;
        break;
      case 'chain hash (SHA-256)': {
        let prev = HEAD;
        for (const list of canonicals) for (const c of list) prev = chainHashOf(prev, c);
        sink += prev.length;
        break;
      }
      case 'signatures by runs':
        for (let f = 0; f < frames.length; f++) {
          const byEvent = new Map<object, Any>(frames[f]!.map((e: Any, i: number) => [e, preps[f]![i]]));
          const verdicts = trust.verifyByRuns(frames[f], {
            prepared: (e: Any) => byEvent.get(e),
            heldHash: () => null,
            verifyOne(e: Any) {
              const bytes = Buffer.from(byEvent.get(e).canonical, 'utf8');
              const key = keyring.keyObject(keys[0]!.publicKey);
              const ok = trust.verifyBytes(key, bytes, Buffer.from(e.sig, 'base64url'));
              return ok ? { ok: true, preSignature: false } : { ok: false, code: 'bad_signature', field: 'sig' };
            },
          });
          sink += verdicts.signatureChecks;
        }
        break;
      case 'pack and post':
        for (const list of preps) sink += serialize({ frame: null, ahead: received.packReceived(list, null) }).length;
        break;
      case 'all of packFrame': {
        const chainAhead = received.createChainAhead();
        for (let f = 0; f < bodies.length; f++) {
          const answer = prep.packFrame(bodies[f], keys, { job: f + 1, head: HEAD, storedThrough: f }, chainAhead);
          sink += serialize(answer).length;
        }
        break;
      }
    }
    if (sink < 0) console.log(sink);
  };
  return { tree, bodies, stages, run };
}

const sides: Tree[] = [];
for (const tree of trees) sides.push(await load(tree));

const cpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
for (let r = 0; r < ROUNDS + 1; r++) {
  for (const side of sides) {
    for (const stage of side.stages.keys()) {
      const start = cpuMs();
      side.run(stage);
      const ms = cpuMs() - start;
      if (r > 0) side.stages.get(stage)!.push(ms); // round 0 warms up
    }
  }
}

const per1000 = (ms: number) => round((ms * 1000) / events.length, 2);
const rows: Record<string, Record<string, number>> = {};
for (const side of sides) {
  const med = (s: string) => percentile(side.stages.get(s)!, 50);
  const parse = med('frame parse');
  const column: Record<string, number> = {};
  for (const stage of side.stages.keys())
    column[stage] = per1000(stage === 'wire schema' ? med(stage) - parse : med(stage));
  column['sum of the stages'] = round(
    STAGES.reduce((s, stage) => s + column[stage]!, 0),
    2,
  );
  rows[side.tree] = column;
}
console.log(
  `ms of CPU per 1,000 events (median of ${ROUNDS} rounds), ${events.length} events in ${sides[0]!.bodies.length} frames`,
);
console.table(rows);
console.log(`load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
