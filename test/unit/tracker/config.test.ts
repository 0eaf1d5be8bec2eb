import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_FILE, DEFAULT_PORT, readTrackerConfig } from '../../../src-tracker/config.ts';

describe('tracker config', () => {
  it('defaults to a SQLite file on 127.0.0.1:8787', () => {
    expect(readTrackerConfig([], {})).toMatchObject({
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      database: { kind: 'sqlite', file: DEFAULT_DATA_FILE },
      adminToken: undefined,
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const url = 'postgres://guardline@127.0.0.1:5432/tracker';
    expect(readTrackerConfig([], { DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
  });

  it('lets flags win over the environment', () => {
    const config = readTrackerConfig(['--port', '9000', '--data', '/tmp/x.sqlite'], {
      GUARDLINE_TRACKER_PORT: '7000',
      GUARDLINE_TRACKER_DATA: '/tmp/y.sqlite',
      GUARDLINE_ADMIN_TOKEN: 'gla_x',
    });
    expect(config).toMatchObject({ port: 9000, database: { file: '/tmp/x.sqlite' }, adminToken: 'gla_x' });
  });

  it('refuses a port that is not a port and unknown flags', () => {
    expect(() => readTrackerConfig(['--port', 'eighty'], {})).toThrow(/--port/);
    expect(() => readTrackerConfig(['--prot', '1'], {})).toThrow();
  });

  it('folds HQ on its own thread unless told inline, and names the flag when the value is neither', () => {
    expect(readTrackerConfig([], {}).projector).toBe('thread');
    expect(readTrackerConfig([], { GUARDLINE_TRACKER_PROJECTOR: 'inline' }).projector).toBe('inline');
    expect(readTrackerConfig(['--projector', 'thread'], { GUARDLINE_TRACKER_PROJECTOR: 'inline' }).projector).toBe(
      'thread',
    );
    expect(() => readTrackerConfig(['--projector', 'worker'], {})).toThrow(/--projector must be thread or inline/);
  });
});
