import { describe, expect, it } from 'vitest';
import { parseLaunchOptions } from '../../../src-main/core/launch-options.ts';
import { checkLaunchFlags } from '../../../scripts/launch-flags.ts';

describe('retention period on the command line', () => {
  it('is off unless given', () => {
    expect(parseLaunchOptions([], {}).retentionDays).toBeNull();
  });

  it('takes whole days from the flag, else from GUARDLINE_RETENTION_DAYS', () => {
    expect(parseLaunchOptions(['--retention-days', '90'], { GUARDLINE_RETENTION_DAYS: '30' }).retentionDays).toBe(90);
    expect(parseLaunchOptions([], { GUARDLINE_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(checkLaunchFlags(['--retention-days', '90'])).toEqual({ ok: true });
  });

  it.each(['0', '-5', '1.5', 'ninety', '40000'])('refuses %s naming the flag', (value) => {
    expect(() => parseLaunchOptions(['--retention-days', value], {})).toThrow(/--retention-days/);
  });
});
