/** Flashes the document title once a second while `alarmTitle` is set; restores the resting title after. */
import { useEffect } from 'react';
import { createTitleFlash } from './model/title-flash.ts';

const FLASH_MS = 1000;

export function useTitleFlash(alarmTitle: string | null): void {
  useEffect(() => {
    if (alarmTitle === null) return;
    const flash = createTitleFlash(alarmTitle);
    document.title = flash.tick(document.title);
    const timer = setInterval(() => {
      document.title = flash.tick(document.title);
    }, FLASH_MS);
    return () => {
      clearInterval(timer);
      document.title = flash.restingTitle(document.title);
    };
  }, [alarmTitle]);
}
