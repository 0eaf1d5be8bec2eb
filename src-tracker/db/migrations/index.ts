/**
 * Migrations listed in code rather than found by scanning a folder: the tracker runs
 * from source under Node's type stripping and from bundles alike, and the order is
 * explicit. Keys sort in apply order.
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import { initialSchema } from './0001-initial.ts';
import { outagesProjection } from './0002-outages.ts';
import { projectionCursors } from './0003-projection-cursors.ts';
import { hqAccounts } from './0004-hq-accounts.ts';
import { signedEvents } from './0004-signed-events.ts';
import { authorChain } from './0006-author-chain.ts';
import { lineStateOrder } from './0008-line-state-order.ts';
import { deviceRevocations } from './0009-device-revocations.ts';

export const TRACKER_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initialSchema,
  '0002-outages': outagesProjection,
  '0003-projection-cursors': projectionCursors,
  '0004-hq-accounts': hqAccounts,
  '0005-signed-events': signedEvents,
  '0006-author-chain': authorChain,
  '0008-line-state-order': lineStateOrder,
  '0009-device-revocations': deviceRevocations,
};

export const trackerMigrations: MigrationProvider = {
  getMigrations: async () => ({ ...TRACKER_MIGRATIONS }),
};
