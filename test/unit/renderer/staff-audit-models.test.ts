import { describe, expect, it } from 'vitest';
import { auditCsv, auditCsvName, csvCell } from '../../../src-renderer/features/audit/model/audit-csv.ts';
import {
  checkAuditFilter,
  EMPTY_AUDIT_FILTER,
  exportFilters,
  localDateTimeMs,
} from '../../../src-renderer/features/audit/model/audit-filter.ts';
import { payloadText } from '../../../src-renderer/features/audit/model/payload-text.ts';
import {
  checkEnrol,
  EMPTY_ENROL,
  parseUnits,
  rosterErrorKey,
} from '../../../src-renderer/features/staff/model/staff-form.ts';
import type { AuditEntry } from '../../../src-shared/audit.ts';

describe('staff enrol form', () => {
  const draft = { ...EMPTY_ENROL, staffNumber: 's1', name: 'Sara Ett', role: 'supervisor' as const };

  it('turns the typed form into the contract input, units split on commas without duplicates', () => {
    const checked = checkEnrol({
      ...draft,
      units: ' Avdelning B, Avdelning C,,Avdelning B ',
      pin: '4455',
      pinRepeat: '4455',
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        staffNumber: 'S1',
        name: 'Sara Ett',
        role: 'supervisor',
        units: ['Avdelning B', 'Avdelning C'],
        pin: '4455',
      },
    });
    expect(parseUnits('')).toEqual([]);
  });

  it('leaves the PIN out when none was typed', () => {
    const checked = checkEnrol(draft);
    expect(checked.ok && 'pin' in checked.input).toBe(false);
  });

  it('names each bad field with its own text', () => {
    const checked = checkEnrol({ ...EMPTY_ENROL, staffNumber: 'a b', pin: '12', pinRepeat: '12' });
    expect(checked).toEqual({
      ok: false,
      errors: {
        staffNumber: 'staff.error.staffNumberFormat',
        name: 'staff.error.required',
        pin: 'staff.error.pinFormat',
      },
    });
    expect(checkEnrol({ ...draft, pin: '1234', pinRepeat: '4321' })).toEqual({
      ok: false,
      errors: { pinRepeat: 'staff.error.pinMismatch' },
    });
  });

  it('reads the core refusals: a taken number, the last admin, a field', () => {
    expect(rosterErrorKey({ code: 'conflict', message: 'S1 is already on the roster', field: 'staffNumber' })).toEqual({
      field: 'staffNumber',
      key: 'staff.error.taken',
    });
    expect(rosterErrorKey({ code: 'conflict', message: 'the roster must keep at least one active admin' })).toEqual({
      field: null,
      key: 'staff.error.lastAdmin',
    });
    expect(rosterErrorKey({ code: 'invalid_input', message: 'x', field: 'units.3' }).field).toBe('units');
    expect(rosterErrorKey({ code: 'forbidden', message: 'x' })).toEqual({ field: null, key: 'error.forbidden' });
  });
});

describe('audit filter', () => {
  it('sends only what was filled in, staff numbers upper-cased', () => {
    expect(checkAuditFilter(EMPTY_AUDIT_FILTER)).toEqual({ ok: true, query: {} });
    const id = '0192f0c8-1a2b-7c3d-8e4f-0123456789ab';
    expect(checkAuditFilter({ ...EMPTY_AUDIT_FILTER, staffNumber: ' g1 ', incidentId: id.toUpperCase() })).toEqual({
      ok: true,
      query: { staffNumber: 'G1', incidentId: id },
    });
  });

  it('takes the local minute typed as the end to include that whole minute', () => {
    const from = localDateTimeMs('2026-11-25T21:00')!;
    const checked = checkAuditFilter({ ...EMPTY_AUDIT_FILTER, from: '2026-11-25T21:00', to: '2026-11-25T21:00' });
    expect(checked).toEqual({ ok: true, query: { from, to: from + 59_999 } });
    expect(new Date(from).getHours()).toBe(21);
  });

  it('names a bad incident id, a non-date and a range that ends before it starts', () => {
    const checked = checkAuditFilter({
      staffNumber: 'a b',
      incidentId: '1234',
      from: '2026-11-25T22:00',
      to: '2026-11-25T21:00',
    });
    expect(checked).toEqual({
      ok: false,
      errors: { staffNumber: 'audit.error.staffNumber', incidentId: 'audit.error.incidentId', to: 'audit.error.range' },
    });
    expect(localDateTimeMs('igår')).toBeNull();
  });

  it('records the filters of an export as set, and only those', () => {
    expect(exportFilters({ staffNumber: 'G1', from: 5 })).toEqual({ staffNumber: 'G1', from: 5 });
  });
});

describe('audit CSV', () => {
  const entry: AuditEntry = {
    seq: 7,
    id: '0192f0c8-1a2b-7c3d-8e4f-0123456789ab',
    type: 'incident.created',
    streamId: 'inc-1',
    actor: 'G1',
    deviceId: 'dev-1',
    deviceTime: Date.parse('2026-11-25T20:14:00.000Z'),
    hlc: '0001',
    payload: { title: 'Hot, "allvarligt"', note: 'rad 1\nrad 2' },
  };

  it('quotes commas, quotes and line breaks, and starts with a BOM so å, ä, ö open right', () => {
    const csv = auditCsv([entry]);
    expect(csv.startsWith('\uFEFFseq,time,type,actor,stream,device,hlc,eventId,payload\r\n')).toBe(true);
    expect(csv).toContain('7,2026-11-25T20:14:00.000Z,incident.created,G1,inc-1,dev-1,0001,');
    expect(csv).toContain('"{""title"":""Hot, \\""allvarligt\\"""",""note"":""rad 1\\nrad 2""}"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+46 8 123')).toBe("'+46 8 123");
    expect(csvCell('plain')).toBe('plain');
  });

  it('names the file by when it was taken', () => {
    expect(auditCsvName('guardline-granskning', new Date('2026-11-25T21:14:09Z'))).toBe(
      'guardline-granskning-2026-11-25T2114.csv',
    );
  });

  it('shortens long payloads for the table', () => {
    expect(payloadText({ a: 'x'.repeat(500) }).length).toBe(160);
    expect(payloadText({ a: 1 })).toBe('{"a":1}');
  });
});
