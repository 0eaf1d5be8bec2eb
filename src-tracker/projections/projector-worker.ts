/**
 * The HQ projector's thread (projector-thread.ts): the projector of projector.ts, unchanged,
 * on its own connection to the tracker's SQLite file, driven by the tracker's messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../db/database.ts';
import { createHqProjector } from './projector.ts';
import type { FromProjector, ProjectorThreadData, ToProjector } from './projector-thread.ts';

const port = parentPort!;
const data = workerData as ProjectorThreadData;
const post = (message: FromProjector) => port.postMessage(message);

const store = openSqliteConnection(data.file, data.writerGate);
const projector = createHqProjector(store, {
  ...(data.delayMs !== undefined ? { delayMs: data.delayMs } : {}),
  ...(data.maxDelayMs !== undefined ? { maxDelayMs: data.maxDelayMs } : {}),
  onError: (error, facility) =>
    post({
      kind: 'error',
      facility,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? (error.stack ?? null) : null,
    }),
});

port.on('message', (message: ToProjector) => {
  switch (message.kind) {
    case 'notify':
      projector.notify(message.facility, message.asParsed);
      return;
    case 'settle':
      // settled() never rejects: a failed run was logged through onError and HQ shows its last picture.
      void projector.settled().then(() => post({ kind: 'settled', id: message.id }));
      return;
    case 'stop':
      void projector
        .stop()
        .then(() => store.close())
        .then(() => {
          post({ kind: 'stopped' });
          port.close();
        });
      return;
  }
});
