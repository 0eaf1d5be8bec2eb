import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { isDerivedEventId } from '../../../src-shared/derived-ids.ts';
import { escalationIdFor, stepEventId } from '../../../src-main/core/escalation/model.ts';

describe('derived event ids', () => {
  it('recognises escalation step ids as derived and fresh event ids as not', () => {
    const escalationId = escalationIdFor('019ab000-0000-7000-8000-0000000000aa', 1);
    expect(isDerivedEventId(stepEventId(escalationId, 'timed_out', 1, 1))).toBe(true);
    expect(isDerivedEventId(stepEventId(escalationId, 'incident_escalated'))).toBe(true);
    expect(isDerivedEventId(uuidv7())).toBe(false);
    expect(isDerivedEventId('not-a-uuid')).toBe(false);
  });
});
