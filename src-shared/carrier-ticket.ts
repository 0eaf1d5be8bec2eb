/**
 * The carrier's side of an outage: the fault report the agency filed with the phone
 * carrier and what the carrier did about it. A supervisor records it as
 * `outage.carrier_ticket_set` events on the outage's own stream; the latest event (HLC
 * order) is the ticket, earlier ones stay as its history. Times are epoch ms as the
 * supervisor entered them: evidence, never ordering.
 */
import { z } from 'zod';
import { Uuid } from './incident.ts';

/** Where the carrier's ticket stands, in the agency's words (TMF621 mapping: docs/tmf621-mapping.md). */
export const CARRIER_TICKET_STATUSES = [
  'reported',
  'acknowledged',
  'in_progress',
  'restored',
  'closed',
  'rejected',
] as const;
export const CarrierTicketStatus = z.enum(CARRIER_TICKET_STATUSES);
export type CarrierTicketStatus = z.infer<typeof CarrierTicketStatus>;

const At = z.number().int().nonnegative().nullable();

export const CarrierTicketSetPayload = z.object({
  outageId: Uuid,
  /** The carrier's ticket number (or the agency's reference when the carrier gave none). */
  ticketRef: z.string().trim().max(120),
  reportedAt: At,
  acknowledgedAt: At,
  restoredAt: At,
  status: CarrierTicketStatus,
  note: z.string().trim().max(2000).default(''),
});
export type CarrierTicketSetPayload = z.infer<typeof CarrierTicketSetPayload>;

export const CarrierTicketChange = z.object({
  status: CarrierTicketStatus,
  by: z.string(),
  /** The recording device's clock when the supervisor saved it. */
  at: z.number().int(),
  note: z.string(),
});
export type CarrierTicketChange = z.infer<typeof CarrierTicketChange>;

export const CarrierTicket = CarrierTicketSetPayload.omit({ outageId: true }).extend({
  updatedBy: z.string(),
  updatedAt: z.number().int(),
  updatedHlc: z.string(),
  /** Every save, oldest first (the statusChange history of the TMF621 export). */
  history: z.array(CarrierTicketChange),
});
export type CarrierTicket = z.infer<typeof CarrierTicket>;

/** The console API's input: the same fields, with the order of the times checked. */
export const CarrierTicketInput = CarrierTicketSetPayload.strict().superRefine((t, ctx) => {
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  // A ticket exists because the fault was reported: that time is what every response is measured from.
  if (t.reportedAt === null) issue('reportedAt', 'required');
  if (t.reportedAt !== null && t.acknowledgedAt !== null && t.acknowledgedAt < t.reportedAt)
    issue('acknowledgedAt', 'before the report');
  if (t.reportedAt !== null && t.restoredAt !== null && t.restoredAt < t.reportedAt)
    issue('restoredAt', 'before the report');
});
export type CarrierTicketInput = z.input<typeof CarrierTicketInput>;
