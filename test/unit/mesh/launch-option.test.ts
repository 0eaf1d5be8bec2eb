import { describe, expect, it } from 'vitest';
import { meshLaunchConfig, parseLaunchOptions } from '../../../src-main/core/launch-options.ts';
import { checkLaunchFlags } from '../../../scripts/launch-flags.ts';

describe('where peers’ frames are prepared, on the command line', () => {
  it('is the worker thread unless told otherwise', () => {
    const options = parseLaunchOptions([], {});
    expect(options.meshPrepare).toBe('worker');
    expect(meshLaunchConfig(options)).toEqual({});
  });

  it('takes inline from the flag, else from GUARDLINE_MESH_PREPARE: every frame parsed on the console’s thread', () => {
    expect(parseLaunchOptions(['--mesh-prepare', 'inline'], { GUARDLINE_MESH_PREPARE: 'worker' }).meshPrepare).toBe(
      'inline',
    );
    const options = parseLaunchOptions(['--mesh-listen', '127.0.0.1:7000'], { GUARDLINE_MESH_PREPARE: 'inline' });
    expect(meshLaunchConfig(options)).toEqual({
      mesh: { listen: '127.0.0.1:7000', limits: { offThreadBytes: Number.POSITIVE_INFINITY } },
    });
    expect(checkLaunchFlags(['--mesh-prepare', 'inline'])).toEqual({ ok: true });
  });

  it.each(['threads', 'INLINE', 'off'])('refuses %j naming the flag', (value) => {
    expect(() => parseLaunchOptions(['--mesh-prepare', value], {})).toThrow(/--mesh-prepare/);
  });
});
