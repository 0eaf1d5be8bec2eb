import { describe, expect, it } from 'vitest';
import { checkLaunchFlags } from '../../../scripts/launch-flags.ts';
import { readLaunchOptions } from '../../../scripts/start-web.ts';

describe('launch flag check', () => {
  it('accepts every flag the launch options know, in both spellings', () => {
    expect(
      checkLaunchFlags([
        '--data-dir',
        '/tmp/x',
        '--port=0',
        '--no-open',
        '--facility',
        'F',
        '--unit=U',
        '--config',
        'c',
      ]),
    ).toEqual({ ok: true });
  });

  it('names an unknown flag', () => {
    expect(checkLaunchFlags(['--data-dir', '/tmp/x', '--prot', '80'])).toMatchObject({
      ok: false,
      flag: '--prot',
      message: expect.stringMatching(/^unknown flag --prot/),
    });
  });

  it('names a flag that is missing its value', () => {
    expect(checkLaunchFlags(['--port'])).toMatchObject({ ok: false, flag: '--port', message: '--port needs a value' });
    expect(checkLaunchFlags(['--data-dir', '--no-open'])).toMatchObject({ ok: false, flag: '--data-dir' });
    expect(checkLaunchFlags(['--unit='])).toMatchObject({ ok: false, flag: '--unit' });
  });

  it('refuses a value on a switch and stray arguments', () => {
    expect(checkLaunchFlags(['--no-open=yes'])).toMatchObject({ ok: false, flag: '--no-open' });
    expect(checkLaunchFlags(['serve'])).toMatchObject({ ok: false, flag: 'serve' });
  });
});

describe('readLaunchOptions', () => {
  it('turns a bad port into one line naming --port', () => {
    expect(readLaunchOptions(['--port', '70000'], {})).toEqual({
      error: '--port: expected a port number 0-65535, got "70000"',
    });
  });

  it('returns the parsed options for a good command line', () => {
    const options = readLaunchOptions(['--data-dir', '/tmp/guardline-x', '--port', '0', '--no-open'], {});
    expect(options).toMatchObject({ dataFile: '/tmp/guardline-x/guardline.sqlite', port: 0, open: false });
  });
});
