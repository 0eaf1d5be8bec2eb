/** HQ's outage list and carrier tickets, folded with the consoles' own reducers. */
import { foldCarrierTicket } from '../../src-shared/carrier-ticket-fold.ts';
import { foldOutage } from '../../src-shared/outage-fold.ts';
import type { OutagesTable } from '../db/schema.ts';
import type { StreamProjector } from './refold.ts';

function ticketJson(events: Parameters<typeof foldCarrierTicket>[0]): string | null {
  const ticket = foldCarrierTicket(events);
  return ticket ? JSON.stringify(ticket) : null;
}

export const outageProjector: StreamProjector = {
  name: 'outages',
  handles: (type) => type.startsWith('outage.'),
  fold(facility, streams) {
    const rows: OutagesTable[] = [];
    for (const events of streams) {
      const outage = foldOutage(events);
      if (!outage) continue;
      rows.push({
        facility,
        id: outage.id,
        status: outage.status,
        opened_at: outage.openedAt,
        updated_hlc: outage.updatedHlc,
        // The facility the console enrolled in, also for outages it opened under its
        // config's facility id before adopting the tracker's (issue 15).
        doc: JSON.stringify({ ...outage, facilityId: facility }),
        ticket: ticketJson(events),
      });
    }
    // Outages are few and small: one row per statement keeps this simple.
    return async (trx) => {
      for (const row of rows) {
        await trx
          .insertInto('outages')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['facility', 'id']).doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              opened_at: eb.ref('excluded.opened_at'),
              updated_hlc: eb.ref('excluded.updated_hlc'),
              doc: eb.ref('excluded.doc'),
              ticket: eb.ref('excluded.ticket'),
            })),
          )
          .execute();
      }
    };
  },
};
