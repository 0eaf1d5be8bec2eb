/** A console may hold several tracker URLs (issue 15): how the list is read and validated. */
import { describe, expect, it } from 'vitest';
import { trackerUrls } from '../../../src-main/core/sync/tracker-client.ts';
import { SyncEnrollInput } from '../../../src-shared/sync.ts';

describe('tracker URL lists', () => {
  it('splits on spaces and commas and drops trailing slashes', () => {
    expect(trackerUrls('http://t1:8787/ , http://t2:8787  https://t3')).toEqual([
      'http://t1:8787',
      'http://t2:8787',
      'https://t3',
    ]);
  });

  it('accepts one or more http(s) URLs at enrolment and names the field otherwise', () => {
    expect(SyncEnrollInput.safeParse({ trackerUrl: 'http://t1:8787 http://t2:8787', code: 'X' }).success).toBe(true);
    const bad = SyncEnrollInput.safeParse({ trackerUrl: 'http://t1:8787 ftp://t2', code: 'X' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['trackerUrl']);
  });
});
