/**
 * The carrier ticket of one outage, folded from the outage stream's
 * `outage.carrier_ticket_set` events: the latest save (HLC order) holds, every save
 * stays in its history. Pure, so consoles and the tracker agree.
 */
import { compareEvents, type EventEnvelope } from './events.ts';
import { CarrierTicketSetPayload, type CarrierTicket } from './carrier-ticket.ts';

/** Fold an outage stream's ticket events (other event types are ignored). Null when none was set. */
export function foldCarrierTicket(events: readonly EventEnvelope[]): CarrierTicket | null {
  const ordered = events.filter((e) => e.type === 'outage.carrier_ticket_set').sort(compareEvents);
  let ticket: CarrierTicket | null = null;
  for (const event of ordered) {
    const p = CarrierTicketSetPayload.safeParse(event.payload);
    if (!p.success) continue;
    const { outageId: _outageId, ...fields } = p.data;
    const history: CarrierTicket['history'] = ticket?.history ?? [];
    history.push({ status: fields.status, by: event.actor, at: event.deviceTime, note: fields.note });
    ticket = { ...fields, updatedBy: event.actor, updatedAt: event.deviceTime, updatedHlc: event.hlc, history };
  }
  return ticket;
}
