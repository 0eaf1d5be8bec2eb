/**
 * A console core as a process of its own, for tests that put consoles on separate network
 * stacks (network namespaces): the real core (SQLite file, identity key, sync engine, mesh,
 * discovery), driven over stdin/stdout with one JSON object per line.
 *
 * Run: node test/support/console-process.ts '<json ConsoleProcessOptions>'
 * In:  {"id":1,"method":"incidents.create","input":{...}}  (any console API method), or the
 *      test-only methods `test.status` (sync status), `test.waitForStream` ({streamId}: answers
 *      with its first event once stored; awaited on commits, no polling) and `test.hasEvent`.
 * Out: `READY {"deviceId":…,"mesh":"host:port"}` once the mesh listens, then
 *      {"id":1,"ok":true,"value":…} | {"id":1,"ok":false,"error":…} per request.
 */
import { createInterface } from 'node:readline';
import { createConsoleCore } from '../../src-main/core/console-core.ts';

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
  if (method === 'test.status') return core.sync.status();
  if (method === 'test.hasEvent') return core.store.getEvent((input as { eventId: string }).eventId) !== null;
  if (method === 'test.waitForStream') {
    // Resolves with the stream's first event once one is stored (awaited on commits).
    const { streamId } = input as { streamId: string };
    const held = () =>
      core.store.db
        .prepare<[string], { id: string }>('SELECT id FROM events WHERE stream_id = ? LIMIT 1')
        .get(streamId);
    return new Promise((resolve) => {
      const now = held();
      if (now) return resolve(core.store.getEvent(now.id));
      const stop = core.store.onCommitted((result) => {
        const e = result.stored.find((s) => s.streamId === streamId);
        if (!e) return;
        stop();
        resolve(e);
      });
    });
  }
  const result = await core.dispatch(method, input, { origin: 'test' });
  if (!result.ok) throw Object.assign(new Error(result.error.message), { apiError: result.error });
  return result.value;
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
