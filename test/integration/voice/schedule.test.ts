/**
 * The test-call schedule with time under the test's control: timers are injected (the
 * only fake), the store is a real SQLite file and each call is a real INVITE to a UDP
 * socket that never answers (so every scheduled call ends as "no answer" quickly).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { createEventFactory } from '../../../src-main/core/event-factory.ts';
import { createHlc } from '../../../src-shared/hlc.ts';
import { createVoiceTests, type VoiceTests } from '../../../src-main/core/telephony/voice/voice-tests.ts';
import { createCredentialStore } from '../../../src-main/core/telephony/voice/credential-store.ts';
import { validateFacilityConfig, type FacilityConfig } from '../../../src-shared/facility-config.ts';
import type { Timers } from '../../../src-main/core/timers.ts';
import { tempDir } from '../../support/temp.ts';

interface Pending {
  id: number;
  ms: number;
  callback: () => void;
}

function manualTimers(): Timers & { pending: Pending[]; fire(p: Pending): void } {
  let next = 1;
  const pending: Pending[] = [];
  return {
    pending,
    setTimeout(callback, ms) {
      const p = { id: next++, ms, callback };
      pending.push(p);
      return p.id;
    },
    clearTimeout(handle) {
      const i = pending.findIndex((p) => p.id === handle);
      if (i >= 0) pending.splice(i, 1);
    },
    fire(p) {
      this.clearTimeout(p.id);
      p.callback();
    },
  };
}

describe('test-call schedule', () => {
  const dir = tempDir();
  let store: EventStore;
  let hole: dgram.Socket;
  let timers: ReturnType<typeof manualTimers>;
  let voice: VoiceTests;
  let changed: string[];

  const config = (schedule: unknown): FacilityConfig => {
    const r = validateFacilityConfig(
      {
        facility: { id: 'lab', name: 'Lab' },
        units: [{ id: 'b', name: 'B' }],
        lines: [
          {
            id: 'trunk-a',
            name: 'Trunk A',
            unit: 'b',
            kind: 'trunk',
            probe: { type: 'tcp', host: '127.0.0.1', port: 1 },
            voiceTest: {
              host: '127.0.0.1',
              port: hole.address().port,
              echoUser: 'echo',
              answerTimeoutMs: 1000,
              schedule,
            },
          },
        ],
        reserveProcedure: 'radio',
      },
      'cfg.json',
    );
    if (!r.ok) throw new Error(r.error.message);
    return r.config;
  };

  beforeEach(async () => {
    hole = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
    store = openEventStore(join(dir.path, `s-${Date.now()}-${Math.random()}.sqlite`));
    const deviceId = 'device-1';
    const clock = createHlc({ node: deviceId, wallClock: Date.now, resumeFrom: null });
    timers = manualTimers();
    changed = [];
    voice = createVoiceTests({
      store,
      makeEvent: createEventFactory({ clock, deviceId, wallClock: Date.now }),
      deviceId,
      wallClock: Date.now,
      timers,
      credentials: createCredentialStore(join(dir.path, 'none.json')),
      random: () => 0.5,
      changed: (lineId) => changed.push(lineId),
      logError: (m, d) => console.error(m, d),
    });
  });

  afterEach(async () => {
    await voice.stop();
    store.close();
    hole.close();
  });

  const callEvents = () =>
    store.db.prepare(`SELECT payload FROM events WHERE type = 'line.voice_tested'`).all() as { payload: string }[];
  const finished = (n: number) =>
    new Promise<void>((resolve) => {
      const tick = () => (callEvents().length >= n ? resolve() : setImmediate(tick));
      tick();
    });

  it('is off by default: no timer, no call', () => {
    voice.configure(config(undefined));
    expect(timers.pending).toEqual([]);
  });

  it('every 15 minutes by default once enabled; the first call waits a random share of the interval', async () => {
    voice.configure(config({ enabled: true }));
    expect(timers.pending.map((p) => p.ms)).toEqual([0.5 * 15 * 60_000]);
    timers.fire(timers.pending[0]!);
    // The next call is scheduled at once, a full interval later; this one is running.
    expect(timers.pending.map((p) => p.ms)).toEqual([15 * 60_000]);
    expect(voice.status('trunk-a', 10).running).toBe(true);
    await finished(1);
    const [row] = callEvents();
    expect(JSON.parse(row!.payload)).toMatchObject({
      lineId: 'trunk-a',
      trigger: 'schedule',
      verdict: 'no_answer',
      state: 'DOWN',
    });
  });

  it('a scheduled call that comes due while the line is already on a call is not doubled', async () => {
    voice.configure(config({ enabled: true, intervalMinutes: 1 }));
    expect(voice.request('trunk-a', 'manual')).toEqual({ started: true, queued: false });
    expect(voice.request('trunk-a', 'manual')).toEqual({ started: false, queued: false });
    timers.fire(timers.pending.find((p) => p.ms === 30_000)!);
    await finished(1);
    await voice.stop();
    expect(callEvents().map((r) => JSON.parse(r.payload).trigger)).toEqual(['manual']);
  });

  it('turning the schedule off on reload cancels the timer', () => {
    voice.configure(config({ enabled: true, intervalMinutes: 1 }));
    expect(timers.pending).toHaveLength(1);
    voice.configure(config({ enabled: false, intervalMinutes: 1 }));
    expect(timers.pending).toEqual([]);
  });
});
