// Experiment: what the incident row (table + 3 indexes) adds to a durable authored append.
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openEventStore } from '../../src-main/core/store/event-store.ts';
import { incidentProjector } from '../../src-main/core/incidents/projection.ts';
import { loadDeviceIdentity, deviceKeyFileFor } from '../../src-main/core/identity/identity.ts';
import { encodeHlc } from '../../src-shared/hlc.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('row-cost-');
const stores = ['with', 'without'].map((name) => {
  const file = join(dir.path, `${name}.sqlite`);
  const store = openEventStore(file);
  if (name === 'with') store.registerProjector(incidentProjector);
  store.useSigner(loadDeviceIdentity({ keyFile: deviceKeyFileFor(file), deviceId: 'dev-a', meta: store }));
  return { name, store, ms: [] as number[] };
});
let wall = 1_780_000_000_000;
const { id: _id, ...fields } = incidentInput({ title: 'x' }) as Record<string, unknown>;
for (let block = 0; block < 20; block++) {
  for (const s of stores) {
    for (let i = 0; i < 100; i++) {
      const id = uuidv7();
      wall += 1;
      const t = performance.now();
      s.store.append([{ id: uuidv7(), streamId: id, type: 'incident.created', payload: fields as never, actor: 'G1', deviceId: 'dev-a', deviceTime: wall, hlc: encodeHlc({ wallMs: wall, counter: 0, node: 'dev-a' }) }]);
      if (block > 0) s.ms.push(performance.now() - t);
      await new Promise<void>((r) => setImmediate(r));
    }
  }
}
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!.toFixed(3);
for (const s of stores) console.log(s.name, 'incident row in the commit: p50', pct(s.ms, 0.5), 'p90', pct(s.ms, 0.9), 'p99', pct(s.ms, 0.99));
for (const s of stores) s.store.close();
