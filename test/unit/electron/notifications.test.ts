import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeNotification, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { notify, heldNotificationCount, dismissNotifications } =
  await import('../../../src-main/electron/notifications.ts');

beforeEach(() => resetFakeElectron());

describe('notify', () => {
  it('shows a native notification with the given title and body', () => {
    expect(notify('Larm', 'Linje 3 är nere')).toBe(true);
    const [shown] = FakeNotification.instances;
    expect(shown?.options).toMatchObject({ title: 'Larm', body: 'Linje 3 är nere', silent: false });
    expect(shown?.shown).toBe(true);
  });

  it('marks urgent notifications critical and calls back on click', () => {
    const clicked = vi.fn();
    notify('Larm', 'Nödsituation', { urgent: true, silent: true, onClick: clicked });
    const [shown] = FakeNotification.instances;
    expect(shown?.options).toMatchObject({ urgency: 'critical', timeoutType: 'never', silent: true });
    shown?.emit('click');
    expect(clicked).toHaveBeenCalledOnce();
  });

  it('holds each shown notification until it is clicked, closed or fails, so a late click still works', () => {
    // Electron keeps only a weak reference; without ours, V8 may collect the toast's
    // click handler while the toast is still on screen (electron/electron#16922).
    const before = heldNotificationCount();
    const clicked = vi.fn();
    notify('Larm', 'ett', { onClick: clicked });
    notify('Larm', 'två');
    notify('Larm', 'tre');
    expect(heldNotificationCount()).toBe(before + 3);
    const [first, second, third] = FakeNotification.instances;
    first!.emit('click');
    expect(clicked).toHaveBeenCalledOnce();
    second!.emit('close');
    third!.emit('failed', new Error('toast failed'));
    expect(heldNotificationCount()).toBe(before);
  });

  it('dismisses the notifications of one tag and releases them', () => {
    const before = heldNotificationCount();
    notify('Larm', 'a', { tag: 'alarm:e1' });
    notify('Larm', 'a igen', { tag: 'alarm:e1' });
    notify('Larm', 'b', { tag: 'alarm:e2' });
    expect(dismissNotifications('alarm:e1')).toBe(2);
    expect(FakeNotification.instances.map((n) => n.closed)).toEqual([true, true, false]);
    expect(heldNotificationCount()).toBe(before + 1);
    expect(dismissNotifications('alarm:e1')).toBe(0);
    dismissNotifications('alarm:e2');
  });

  it('reports false when the desktop cannot show notifications', () => {
    FakeNotification.supported = false;
    expect(notify('Larm', 'x')).toBe(false);
    expect(FakeNotification.instances).toEqual([]);
  });
});
