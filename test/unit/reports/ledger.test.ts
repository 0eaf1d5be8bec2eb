import { describe, expect, it } from 'vitest';
import { foldCarrierTicket } from '../../../src-shared/carrier-ticket-fold.ts';
import { CarrierTicketInput } from '../../../src-shared/carrier-ticket.ts';
import { ledgerEntry } from '../../../src-shared/carrier-ticket-ledger.ts';
import { factsFromEvents, currentLineStates } from '../../../src-shared/figures-events.ts';
import { lineStreamId } from '../../../src-shared/telephony.ts';
import { FACILITY, at, automaticOutage, event, evidence, lineChange, ticket } from './fixtures.ts';

const O = '01900000-0000-7000-8000-00000000000a';

describe('carrier ticket', () => {
  it('is the latest save in HLC order, with every save kept as history', () => {
    const first = ticket(O, 1, { reportedAt: at(1), ticketRef: 'TT-77', note: 'Anmält per telefon' });
    const second = ticket(O, 3, {
      reportedAt: at(1),
      acknowledgedAt: at(2.5),
      status: 'acknowledged',
      ticketRef: 'TT-77',
    });
    const t = foldCarrierTicket([second, first])!;
    expect(t).toMatchObject({ ticketRef: 'TT-77', status: 'acknowledged', acknowledgedAt: at(2.5), updatedBy: 'S200' });
    expect(t.history.map((h) => [h.status, h.note])).toEqual([
      ['reported', 'Anmält per telefon'],
      ['acknowledged', ''],
    ]);
    expect(foldCarrierTicket([])).toBeNull();
  });

  it('refuses an acknowledgement before the report, naming the field', () => {
    const result = CarrierTicketInput.safeParse({
      outageId: O,
      ticketRef: 'TT-1',
      reportedAt: at(5),
      acknowledgedAt: at(4),
      restoredAt: null,
      status: 'acknowledged',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['acknowledgedAt']);
    const missing = CarrierTicketInput.safeParse({
      outageId: O,
      ticketRef: '',
      reportedAt: null,
      acknowledgedAt: null,
      restoredAt: null,
      status: 'reported',
    });
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['reportedAt']);
  });
});

describe('ledger entry', () => {
  it('carries the probe evidence, the guard reports filed while it lasted, and the ticket', () => {
    const during = event(
      'line.problem_reported',
      lineStreamId(FACILITY, 'a1'),
      {
        facilityId: FACILITY,
        lineId: 'a1',
        reportId: '01900000-0000-7000-8000-0000000000b1',
        problem: 'no_dial_tone',
        text: 'Tyst',
        reporter: 'G1',
        lineState: 'DOWN',
        at: at(2),
      },
      2,
      'G1',
    );
    const after = event(
      'line.problem_reported',
      lineStreamId(FACILITY, 'a1'),
      { ...(during.payload as object), reportId: '01900000-0000-7000-8000-0000000000b2', at: at(5) } as never,
      5,
      'G1',
    );
    const outage = automaticOutage(['a1', 'a2'], 1, 4, { id: O });
    const { ledger } = factsFromEvents([...outage, during, after, ticket(O, 1.5, { reportedAt: at(1.5) })]);
    expect(ledger).toHaveLength(1);
    const entry = ledger[0]!;
    expect(entry.reports.map((r) => r.text)).toEqual(['Tyst']);
    expect(entry.ticket?.reportedAt).toBe(at(1.5));
    // Two lines, three failed probes each; first failure 10 s and last success 15 s before the opening.
    expect(entry.probes).toEqual({ failedProbes: 6, firstFailureAt: at(1) - 10_000, lastSuccessAt: at(1) - 15_000 });
    expect(ledgerEntry([], [])).toBeNull();
    expect(evidence(0).failures).toBe(3);
  });
});

describe('current line states', () => {
  it('takes each line’s latest change in fold order', () => {
    const states = currentLineStates([
      lineChange('a1', 'UP', 'DOWN', 3),
      lineChange('a1', 'UNKNOWN', 'UP', 1),
      lineChange('b1', 'UNKNOWN', 'UP', 2),
    ]);
    expect(states).toEqual([
      { lineId: 'a1', state: 'DOWN', since: at(3), hlc: expect.any(String) },
      { lineId: 'b1', state: 'UP', since: at(2), hlc: expect.any(String) },
    ]);
  });
});
