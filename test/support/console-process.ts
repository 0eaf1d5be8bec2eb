/**
 * A console core as a process of its own, for tests that put consoles on separate network
 * stacks (network namespaces): the real core (SQLite file, identity key, sync engine, mesh,
 * discovery), driven over stdin/stdout with one JSON object per line.
 *
 * Run: node test/support/console-process.ts '<json ConsoleProcessOptions>'
 * In:  {"id":1,"method":"incidents.create","input":{...}}  (any console API method), or the
 *      test-only methods `test.status` (sync status), `test.waitForStream` ({streamId} and
 *      optional {type}: answers with its first such event once stored; awaited on
 *      commits, no polling), `test.hasEvent`, `test.stream`, `test.meta`, `test.refused` and
 *      `test.screen` (runs the author gate on given events).
 * Out: `READY {"deviceId":…,"mesh":"host:port"}` once the mesh listens, then
 *      {"id":1,"ok":true,"value":…} | {"id":1,"ok":false,"error":…} per request.
 */
import { createInterface } from 'node:readline';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import type { StoredEvent } from '../../src-shared/events.ts';

export interface ConsoleProcessOptions {
  dataFile: string;
  configFile: string;
  listen: string;
  name: string;
  unit: string;
  facility: string;
  discoveryLimits?: { maxCached?: number; answersPerSecond?: number; queryEveryMs?: number };
}

const options = JSON.parse(process.argv[2] ?? '{}') as ConsoleProcessOptions;
const core = createConsoleCore({
  dataFile: options.dataFile,
  host: 'test',
  appVersion: '0.0.0-test',
  facility: options.facility,
  unit: options.unit,
  pinParams: { N: 1024, r: 8, p: 1 },
  telephony: { configFile: options.configFile },
  mesh: {
    listen: options.listen,
    name: options.name,
    backoffBaseMs: 50,
    backoffCapMs: 1_000,
    ...(options.discoveryLimits ? { discoveryLimits: options.discoveryLimits } : {}),
  },
  sync: { start: true, backoffBaseMs: 50, backoffCapMs: 1_000 },
  logger: { error: (message) => process.stderr.write(`${message}\n`) },
});

const reply = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function handle(method: string, input: unknown): Promise<unknown> {
  const args = (input ?? {}) as Record<string, unknown>;
  switch (method) {
    case 'test.status':
      return core.sync.status();
    case 'test.hasEvent':
      return core.store.getEvent(args.eventId as string) !== null;
    case 'test.stream':
      return core.store.streamEvents(args.streamId as string);
    case 'test.meta':
      return core.store.getMeta(args.key as string);
    case 'test.refused':
      return core.trust.refused();
    case 'test.screen': {
      // The author gate every receiving path (tracker pull, peer feed) runs before storing.
      const events = args.events as StoredEvent[];
      const { accepted, refused, withheld } = core.trust.screen(events, args.source as `peer:${string}`);
      return { accepted: accepted.length, refused, withheld };
    }
    case 'test.waitForStream':
      return waitForStream(args.streamId as string, (args.type as string | undefined) ?? null);
  }
  const result = await core.dispatch(method, input, { origin: 'test' });
  if (!result.ok) throw Object.assign(new Error(result.error.message), { apiError: result.error });
  return result.value;
}

/** The stream's first event (of `type`, if given) once stored: awaited on commits, no polling. */
function waitForStream(streamId: string, type: string | null): Promise<StoredEvent> {
  const held = core.store.streamEvents(streamId).find((e) => type === null || e.type === type);
  if (held) return Promise.resolve(held);
  return new Promise((resolve) => {
    const stop = core.store.onCommitted((result) => {
      const e = result.stored.find((s) => s.streamId === streamId && (type === null || s.type === type));
      if (!e) return;
      stop();
      resolve(e);
    });
  });
}

await core.ready;
const listening = await core.mesh.listening();
process.stdout.write(`READY ${JSON.stringify({ deviceId: core.info().deviceId, mesh: listening })}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, method, input } = JSON.parse(line) as { id: number; method: string; input: unknown };
  handle(method, input).then(
    (value) => reply({ id, ok: true, value }),
    (error: Error & { apiError?: unknown }) => reply({ id, ok: false, error: error.apiError ?? error.message }),
  );
});
lines.on('close', () => {
  void core.close().then(() => process.exit(0));
});
process.on('SIGTERM', () => lines.close());
