/** Reports use of the console to the core (throttled) so the idle lock only comes when nobody is there. */
import { useEffect } from 'react';
import { useApi } from '../../api/ApiContext.tsx';
import { createActivityThrottle } from './model/activity-throttle.ts';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

export function useActivityTouch(active: boolean) {
  const api = useApi();
  useEffect(() => {
    if (!active) return;
    const throttle = createActivityThrottle();
    const onActivity = () => {
      // A refusal means the session already ended; auth.changed says so on its own.
      if (throttle.shouldReport(Date.now())) void api.call('auth.touch', {});
    };
    const options = { capture: true, passive: true };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, options);
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, options);
    };
  }, [active, api]);
}
