import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src-shared/escalation.ts';
import {
  ackErrorKey,
  ackState,
  minutesSince,
  orderAlarms,
  shortcutTarget,
  shouldSound,
} from '../../../src-renderer/features/alarms/model/alarm-view.ts';
import { alarmTitleText, createTitleFlash } from '../../../src-renderer/features/alarms/model/title-flash.ts';

function alarm(over: Partial<Alarm>): Alarm {
  return {
    escalationId: 'e1',
    incidentId: 'i1',
    title: 'Hot i matsalen',
    severity: 'high',
    unit: 'Avdelning B',
    level: 1,
    round: 1,
    since: 1_000,
    acknowledgedBy: [],
    needsSecondAck: false,
    exhausted: false,
    ...over,
  };
}

const supervisor = { staffNumber: 'S1', role: 'supervisor' } as const;
const admin = { staffNumber: 'A1', role: 'admin' } as const;
const guard = { staffNumber: 'G1', role: 'guard' } as const;

describe('alarm banner model', () => {
  it('lists critical alarms first, then the longest-waiting', () => {
    const list = [
      alarm({ escalationId: 'late-high', since: 3_000 }),
      alarm({ escalationId: 'early-high', since: 1_000 }),
      alarm({ escalationId: 'crit', severity: 'critical', since: 5_000 }),
    ];
    expect(orderAlarms(list).map((a) => a.escalationId)).toEqual(['crit', 'early-high', 'late-high']);
  });

  it('lets supervisors and admins acknowledge, not guards, and asks for a sign-in on the lock screen', () => {
    expect(ackState(alarm({}), supervisor).kind).toBe('can-ack');
    expect(ackState(alarm({}), admin).kind).toBe('can-ack');
    expect(ackState(alarm({}), guard).kind).toBe('not-supervisor');
    expect(ackState(alarm({}), null).kind).toBe('sign-in');
  });

  it('does not offer a second acknowledgement to the supervisor who gave the first', () => {
    const waiting = alarm({ severity: 'critical', acknowledgedBy: ['S1'], needsSecondAck: true });
    expect(ackState(waiting, supervisor).kind).toBe('acked-by-viewer');
    expect(ackState(waiting, { staffNumber: 'S2', role: 'supervisor' }).kind).toBe('can-ack');
  });

  it('points the shortcut at the first alarm in banner order the viewer may acknowledge', () => {
    const list = [
      alarm({ escalationId: 'high' }),
      alarm({ escalationId: 'crit-acked', severity: 'critical', acknowledgedBy: ['S1'], needsSecondAck: true }),
    ];
    expect(shortcutTarget(list, supervisor)?.escalationId).toBe('high');
    expect(shortcutTarget(list, { staffNumber: 'S2', role: 'supervisor' })?.escalationId).toBe('crit-acked');
    expect(shortcutTarget(list, guard)).toBeNull();
    expect(shortcutTarget([], supervisor)).toBeNull();
  });

  it('sounds while any alarm stands, a second acknowledgement still awaited included', () => {
    expect(shouldSound([])).toBe(false);
    expect(shouldSound([alarm({ needsSecondAck: true, acknowledgedBy: ['S1'] })])).toBe(true);
  });

  it('counts whole minutes since the start and never below zero', () => {
    expect(minutesSince(0, 59_999)).toBe(0);
    expect(minutesSince(0, 180_000)).toBe(3);
    expect(minutesSince(10_000, 0)).toBe(0);
  });

  it('translates refused acknowledgements by what went wrong', () => {
    expect(ackErrorKey({ code: 'conflict', message: 'S1 has already acknowledged; a second…' })).toBe(
      'alarm.error.alreadyAcked',
    );
    expect(ackErrorKey({ code: 'conflict', message: 'escalation already resolved (acknowledged)' })).toBe(
      'alarm.error.resolved',
    );
    expect(ackErrorKey({ code: 'forbidden', message: 'requires the supervisor role' })).toBe('alarm.error.forbidden');
    expect(ackErrorKey({ code: 'disconnected', message: '' })).toBe('error.disconnected');
  });
});

describe('title flash', () => {
  it('alternates the alarm title with the resting one and gives the resting one back', () => {
    const flash = createTitleFlash('⚠ LARM – Hot');
    expect(flash.tick('Guardline')).toBe('⚠ LARM – Hot');
    expect(flash.tick('⚠ LARM – Hot')).toBe('Guardline');
    expect(flash.tick('Guardline')).toBe('⚠ LARM – Hot');
    expect(flash.restingTitle('⚠ LARM – Hot')).toBe('Guardline');
  });

  it('takes a title someone else set meanwhile as the new resting title', () => {
    const flash = createTitleFlash('⚠ LARM – Hot');
    flash.tick('✓ Guardline');
    expect(flash.tick('✕ Telefoner ur funktion – Guardline')).toBe('✕ Telefoner ur funktion – Guardline');
    expect(flash.restingTitle('⚠ LARM – Hot')).toBe('✕ Telefoner ur funktion – Guardline');
  });

  it('names the first alarm and counts the others', () => {
    expect(alarmTitleText('⚠ LARM', ['Hot'])).toBe('⚠ LARM – Hot');
    expect(alarmTitleText('⚠ LARM', ['Hot', 'Brand', 'Rymning'])).toBe('⚠ LARM – Hot (+2)');
  });
});
