import { describe, expect, it } from 'vitest';
import { parseLaunchOptions } from '../../../src-main/core/launch-options.ts';
import { checkLaunchFlags } from '../../../scripts/launch-flags.ts';

describe('idle lock on the command line', () => {
  it('keeps the core default unless given', () => {
    expect(parseLaunchOptions([], {}).idleLockMinutes).toBeNull();
  });

  it('takes whole minutes from the flag, else from GUARDLINE_IDLE_LOCK_MINUTES', () => {
    expect(
      parseLaunchOptions(['--idle-lock-minutes', '3'], { GUARDLINE_IDLE_LOCK_MINUTES: '15' }).idleLockMinutes,
    ).toBe(3);
    expect(parseLaunchOptions([], { GUARDLINE_IDLE_LOCK_MINUTES: '15' }).idleLockMinutes).toBe(15);
    expect(checkLaunchFlags(['--idle-lock-minutes', '3'])).toEqual({ ok: true });
  });

  it.each(['0', '-1', '2.5', 'soon', '1000'])('refuses %s naming the flag', (value) => {
    expect(() => parseLaunchOptions(['--idle-lock-minutes', value], {})).toThrow(/--idle-lock-minutes/);
  });
});
