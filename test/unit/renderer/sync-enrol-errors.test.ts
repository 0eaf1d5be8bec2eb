/** The enrolment form puts the core's refusals beside the right field. */
import { describe, expect, it } from 'vitest';
import { enrolErrors, firstInvalid } from '../../../src-renderer/features/sync/model/enrol-errors.ts';
import { fromZodError } from '../../../src-shared/errors.ts';
import { SyncEnrollInput } from '../../../src-shared/sync.ts';

/** What dispatch answers for this input, made by the real contract schema. */
function refusal(input: unknown) {
  const parsed = SyncEnrollInput.safeParse(input);
  if (parsed.success) throw new Error('input was valid');
  return fromZodError(parsed.error);
}

describe('enrolment errors', () => {
  it('names an address that is not http(s) and a missing code, each at its field', () => {
    const errors = enrolErrors(refusal({ trackerUrl: 'ftp://tracker', code: '  ' }));
    expect(errors).toEqual({ fields: { trackerUrl: 'notUrl', code: 'required' }, form: null });
    expect(firstInvalid(errors)).toBe('trackerUrl');
  });

  it('calls an over-long label too long', () => {
    const errors = enrolErrors(refusal({ trackerUrl: 'http://t', code: 'x', label: 'a'.repeat(121) }));
    expect(errors.fields).toEqual({ label: 'tooLong' });
    expect(firstInvalid(errors)).toBe('label');
  });

  it('blames the address when no tracker answers there', () => {
    const errors = enrolErrors({ code: 'disconnected', message: 'cannot reach the tracker', field: 'trackerUrl' });
    expect(errors).toEqual({ fields: { trackerUrl: 'unreachable' }, form: null });
  });

  it('blames the code when the tracker refuses it', () => {
    const errors = enrolErrors({ code: 'invalid_input', message: 'the tracker refused', field: 'code' });
    expect(errors).toEqual({ fields: { code: 'refused' }, form: null });
  });

  it('keeps errors that are not about a field for the whole form', () => {
    expect(enrolErrors({ code: 'forbidden', message: 'admins only' })).toEqual({ fields: {}, form: 'forbidden' });
    expect(enrolErrors({ code: 'disconnected', message: 'host gone' })).toEqual({ fields: {}, form: 'disconnected' });
    expect(firstInvalid({ fields: {}, form: 'forbidden' })).toBeNull();
  });
});
