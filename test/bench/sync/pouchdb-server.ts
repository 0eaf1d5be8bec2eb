/**
 * Baseline A, the server half: a PouchDB server (express-pouchdb, the server
 * pouchdb-server is built on) storing in LevelDB files under the given folder.
 *
 * usage: node pouchdb-server.ts <data dir>
 */
import { join } from 'node:path';
import { loadExpressPouchDB, loadPouchDB } from './pouchdb.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: pouchdb-server.ts <data dir>');
const ServerPouch = loadPouchDB().defaults({ prefix: join(dir, '/') });
// The minimum mode PouchDB replication needs: no config file, no log file, no admin UI.
const app = loadExpressPouchDB()(ServerPouch, { mode: 'minimumForPouchDB' });
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
