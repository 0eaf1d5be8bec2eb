/**
 * The phone status feature's public face: strip and fallback banner (also for the lock
 * screen). The board page (PhonesPage.tsx) is loaded on demand by app/nav.ts.
 */
export { PhoneStatus, isReportShortcut } from './PhoneStatus.tsx';
export { FallbackBanner } from './FallbackBanner.tsx';
export { ConfigProblemBanner } from './ConfigProblemBanner.tsx';
export { UpdateNotice } from './UpdateNotice.tsx';
export { useLineBoard, useNow } from './use-line-board.ts';
export { clockTime, formatDuration, relativeTime } from './model/relative-time.ts';
